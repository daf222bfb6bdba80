// The provider catalog: every service a key can belong to, how its API is
// reached (base URL) and how a key is injected into a request to it. Served at
// `GET /v1/providers`; used when storing a key (category, default base URL and
// auth type) and by the proxy (how to inject the value).
//
// It covers every provider id the apilocker CLI 1.1.0 knows (its `.env`
// import detector and store examples) and the common LLM, service and OAuth
// providers beyond them. `custom` stands for any other HTTPS API.
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ve::vault {

/// The three groups the CLI lists keys under (`apilocker list`).
enum class Category { llm, service, oauth };

/// "llm" | "service" | "oauth".
std::string_view category_name(Category c);

/// How a key is put into an outbound request.
enum class AuthKind {
  bearer,  ///< `Authorization: Bearer <value>`
  header,  ///< `<header>: <prefix><value>` (e.g. `x-api-key: <value>`)
  basic,   ///< `Authorization: Basic base64(<username>:<value>)`, or of the value itself
           ///< when it already is `user:password` (no fixed username)
  query,   ///< `?<param>=<value>` appended to the upstream URL
};

/// The injection rule of a provider (or of a `custom` key's auth_header_type).
struct Auth {
  AuthKind kind = AuthKind::bearer;
  std::string_view header;    ///< header name for `header` (lower-case)
  std::string_view prefix;    ///< text before the value for `header` (e.g. "Bot ")
  std::string_view param;     ///< query parameter name for `query`
  std::string_view username;  ///< fixed user name for `basic` ("" = value is user:password)
};

/// A static request header some APIs require besides the key (e.g. anthropic-version).
struct StaticHeader {
  std::string_view name;
  std::string_view value;
};

/// Endpoints of an OAuth provider, used as defaults for oauth2 credentials.
struct OAuthEndpoints {
  std::string_view authorize_url;
  std::string_view token_url;
};

struct Provider {
  std::string_view id;    ///< stable id sent by clients, e.g. "openai"
  std::string_view name;  ///< display name, e.g. "OpenAI"
  Category category;
  std::string_view base_url;  ///< API root without trailing slash; "" when per-account
  Auth auth;
  std::string_view env_name;  ///< conventional environment variable, e.g. "OPENAI_API_KEY"
  std::span<const StaticHeader> headers = {};
  std::optional<OAuthEndpoints> oauth = std::nullopt;  ///< set for category oauth
  std::span<const std::string_view> aliases = {};      ///< other ids accepted on input
};

/// The whole catalog, in display order (`custom` last).
std::span<const Provider> catalog();

/// The provider with this id or alias (case-insensitive), or nullptr.
const Provider* find_provider(std::string_view id);

/// The `custom` provider (any HTTPS API; the key's own base_url and auth_header_type).
const Provider& custom_provider();

/// The CLI's name for an injection rule: "bearer" | "x-api-key" | "basic" | "query" | "custom".
std::string_view auth_header_type(const Auth& auth);

/// The injection rule for a stored key: the catalog's for a known provider; for
/// `custom`, the one named by its `auth_header_type` (bearer when unset):
/// bearer → `Authorization: Bearer v`, x-api-key → `x-api-key: v`, basic →
/// `Authorization: Basic base64(v)` (v = `user:password`), query → `?api_key=v`,
/// custom → `Authorization: v` (the value carries its own scheme).
/// nullopt when the provider id is unknown or the auth type is not one of the
/// CLI's names.
std::optional<Auth> resolve_auth(std::string_view provider_id,
                                 std::optional<std::string_view> auth_header_type);

/// True when `type` is one of the CLI's auth types (see auth_header_type()).
bool is_auth_header_type(std::string_view type);

/// JSON description of one provider (GET /v1/providers item).
boost::json::object provider_json(const Provider& p);

/// `{"providers": [...], "custom": {how to use it}}` for GET /v1/providers.
boost::json::object catalog_json();

/// The 400 message for an unknown provider id: names it and explains `custom`.
std::string unknown_provider_message(std::string_view id);

}  // namespace ve::vault
