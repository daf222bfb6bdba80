// Helpers for the OAuth host tests (oauth_*_test.cpp): a client registered
// through RFC 7591, the authorization request, the consent form answered with
// its hidden fields, the token endpoint with PKCE, revocation, and MCP calls
// with an access token — all through the real router on real SQLite.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "host/host_runner.hpp"
#include "tests/unit/host/auth_support.hpp"

namespace ve::test::oauth {

inline constexpr const char* kOrigin = "http://127.0.0.1";
inline constexpr const char* kResource = "http://127.0.0.1/v1/mcp";
inline constexpr const char* kRedirect = "http://127.0.0.1:7777/callback";
inline constexpr const char* kClientName = "Test Client";
inline constexpr const char* kState = "st-42";
inline constexpr const char* kAlice = "alice@example.com";

/// A fresh development runner with `email` signed in to `browser`.
struct SignedIn {
  explicit SignedIn(const std::string& email = kAlice);
  host::HostRunner host;
  Browser browser;
};

/// True when `s` begins with `prefix`.
bool starts_with(const std::string& s, std::string_view prefix);

/// A PKCE verifier and its S256 challenge.
struct Pkce {
  std::string verifier, challenge;
};
Pkce new_pkce();

/// POST /oauth/register with `metadata`; the response as is.
http::Response register_raw(host::HostRunner& host, const boost::json::object& metadata);
/// Registers a public client named `name` with `redirect_uris`; its client_id
/// (aborts unless 201).
std::string register_client(host::HostRunner& host, const std::string& name = kClientName,
                            const std::vector<std::string>& redirect_uris = {kRedirect});

/// The parameters of an authorization request; empty ones are left out.
struct AuthorizeParams {
  std::string client_id;
  std::string challenge;
  std::string redirect_uri = kRedirect;
  std::string scope;
  std::string state = kState;
  std::string response_type = "code";
  std::string method = "S256";
  std::string resource = kResource;
};
/// `/oauth/authorize?…` for `p`.
std::string authorize_path(const AuthorizeParams& p);

/// A consent page shown to a signed-in browser, with its hidden fields.
struct Consent {
  http::Response page;
  std::string request, csrf;
};
/// GET `path` (an authorize_path); request and csrf are "" when no form came back.
Consent open_consent(Browser& browser, const std::string& path);

/// open_consent for a default request of `client_id` with `challenge` (a fresh
/// one when "").
Consent consent_for(Browser& browser, const std::string& client_id,
                    const std::string& challenge = "");

/// Submits `consent` with `decision` and the optional scopes in `ticked`
/// (checkbox values "yes"); `csrf` replaces the page's token when given.
http::Response answer(Browser& browser, const Consent& consent, const std::string& decision,
                      const std::vector<std::string>& ticked = {"vault:write", "vault:proxy"},
                      const std::string* csrf = nullptr);

/// The Location of a 303 to `redirect_uri`, checked (Catch2) for `state` (absent
/// when "") and `iss`.
std::string client_redirect(const http::Response& r, const std::string& redirect_uri = kRedirect,
                            const std::string& state = kState);

/// POST /oauth/token with form `fields`.
http::Response token_request(host::HostRunner& host,
                             const std::vector<std::pair<std::string, std::string>>& fields);
/// grant_type=authorization_code with `verifier`, kRedirect and `client_id`.
http::Response exchange(host::HostRunner& host, const std::string& client_id,
                        const std::string& code, const std::string& verifier);
/// grant_type=refresh_token, with `scope` when not empty.
http::Response refresh(host::HostRunner& host, const std::string& client_id,
                       const std::string& refresh_token, const std::string& scope = "");
/// POST /oauth/revoke (RFC 7009) for `token`, with `hint` when not empty.
http::Response revoke(host::HostRunner& host, const std::string& token,
                      const std::string& hint = "");

/// The token pair of a 200 token response (aborts on anything else).
struct Tokens {
  std::string access, refresh, scope;
};
Tokens tokens_of(const http::Response& r);
/// The `error` member of an RFC 6749 error body, or "<none>".
std::string oauth_error(const http::Response& r);

/// A client connected by `browser`'s user: consent approved with `ticked`,
/// code exchanged.
struct Connection {
  std::string client_id;
  Pkce pkce;
  std::string code;
  Tokens tokens;
  std::string grant_id;
};
/// Approves a consent for `client_id` (`scope` requested) and returns the code
/// (aborts unless the answer is a 303 carrying one).
std::string approve_code(Browser& browser, const std::string& client_id, const Pkce& pkce,
                         const std::string& scope = "",
                         const std::vector<std::string>& ticked = {"vault:write", "vault:proxy"});
/// approve_code + exchange for a new registered client (or `client_id`).
Connection connect(host::HostRunner& host, Browser& browser, const std::string& scope = "",
                   const std::vector<std::string>& ticked = {"vault:write", "vault:proxy"},
                   std::string client_id = "");

/// POST http://127.0.0.1/v1/mcp with `access` as a 2025-11-25 client.
http::Response mcp(host::HostRunner& host, const std::string& access,
                   const boost::json::object& message);
/// HTTP status of tools/call list_keys with `access` (200 while the token lives).
int list_keys_status(host::HostRunner& host, const std::string& access);
/// A tools/call message for tool `name` with `args`.
boost::json::object tool_call(const std::string& name, boost::json::object args = {});

/// Runs POSTs of form `bodies` to `path` concurrently on one Driver over the
/// host's SQLite, in lock step (each round performs the pending effects of
/// every unfinished request in list order). Returns the responses in order.
std::vector<http::Response> post_forms_interleaved(host::HostRunner& host, const std::string& path,
                                                   const std::vector<std::string>& bodies);

/// The grant id behind authorization code `code`.
std::string grant_of_code(host::HostRunner& host, const std::string& code);
/// Row count of `table` with optional `where` clause.
long long count(host::HostRunner& host, const std::string& table, const std::string& where = "");
/// The user id of `email`.
std::string user_id_of(host::HostRunner& host, const std::string& email);

}  // namespace ve::test::oauth
