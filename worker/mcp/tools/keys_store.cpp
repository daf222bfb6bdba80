// store_key and store_oauth_credential: a new key, version 1 (POST /v1/keys).
// The arguments map one to one onto the REST body, so REST's field-naming
// error messages name the tool's arguments.
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/schemas.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

/// The body for POST /v1/keys: the listed arguments that are present.
bj::object body_of(const bj::object& args, std::initializer_list<std::string_view> fields,
                   std::string_view credential_type) {
  bj::object body;
  for (auto f : fields) {
    if (const auto* v = args.if_contains(f); v && !v->is_null()) body[f] = *v;
  }
  body["credential_type"] = credential_type;
  return body;
}

async::Task<ToolResult> store(CallCtx& ctx, bj::object body) {
  auto r =
      co_await rest_call(ctx, {"POST", "/v1/keys", {}, {}, std::move(body), &vault::create_key});
  if (!r.ok()) {
    Error e = r.error();
    if (e.code == "name_taken") {
      e.message += ": choose another name, or call rotate_key to replace that key's value";
    }
    co_return failed(e);
  }
  ToolResult out = key_success(std::move(r.value()));
  out.status = 201;  // created, as the REST route answers
  co_return out;
}

async::Task<ToolResult> store_key(CallCtx& ctx, const bj::object& args) {
  return store(ctx,
               body_of(args, {"name", "provider", "value", "tags", "base_url", "auth_header_type"},
                       "api_key"));
}

async::Task<ToolResult> store_oauth_credential(CallCtx& ctx, const bj::object& args) {
  return store(ctx, body_of(args,
                            {"name", "provider", "client_id", "client_secret", "refresh_token",
                             "authorize_url", "token_url", "scopes", "redirect_uri", "tags"},
                            "oauth2"));
}

constexpr const char* kCommonProperties =
    R"("name":{"type":"string","minLength":1,"maxLength":128,"pattern":"^[A-Za-z0-9_.:@+-]+$","description":"Unique name, e.g. OPENAI_API_KEY: letters, digits and _ - . : @ +. It becomes the environment variable name (uppercased) when injected."},)"
    R"("provider":{"type":"string","minLength":1,"maxLength":64,"description":"Provider id from list_providers (e.g. openai, anthropic, stripe, github); default custom."},)"
    R"("tags":{"type":"array","maxItems":20,"items":{"type":"string","minLength":1,"maxLength":64},"description":"Labels for filtering, e.g. [\"prod\"]."})";

}  // namespace

Tool store_key_tool() {
  static const std::string input =
      std::string(R"({"type":"object","properties":{)") + kCommonProperties +
      R"(,"value":{"type":"string","minLength":1,"maxLength":65536,"description":"The secret API key value."},)"
      R"("base_url":{"type":"string","maxLength":2048,"description":"custom provider only: the API root the proxy forwards to (https://...)."},)"
      R"("auth_header_type":{"type":"string","enum":["bearer","x-api-key","basic","query","custom"],"description":"custom provider only: how the key is sent (default bearer)."})"
      R"(},"required":["name","value"],"additionalProperties":false})";
  return {
      "store_key",
      "Store an API key",
      "Store a new API key in the vault, encrypted, as version 1 under a new unique name. Use it "
      "when the user gives you a key to keep; for OAuth client credentials use "
      "store_oauth_credential instead. Fails when the name is already taken (use rotate_key to "
      "replace the value of an existing key). Returns the new key's metadata, never the value; "
      "do not repeat the value in your reply.",
      input,
      key_summary_schema(),
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &store_key,
  };
}

Tool store_oauth_credential_tool() {
  static const std::string input =
      std::string(R"({"type":"object","properties":{)") + kCommonProperties +
      R"(,"client_id":{"type":"string","minLength":1,"maxLength":4096,"description":"OAuth client id."},)"
      R"("client_secret":{"type":"string","minLength":1,"maxLength":65536,"description":"OAuth client secret."},)"
      R"("refresh_token":{"type":"string","minLength":1,"maxLength":65536,"description":"A refresh token, if one was issued."},)"
      R"("authorize_url":{"type":"string","maxLength":2048,"description":"Authorization endpoint (https); defaults to the provider's."},)"
      R"("token_url":{"type":"string","maxLength":2048,"description":"Token endpoint (https); defaults to the provider's."},)"
      R"("scopes":{"description":"Granted scopes: a space-separated string or a list.","anyOf":[{"type":"string","maxLength":4096},{"type":"array","maxItems":100,"items":{"type":"string","maxLength":256}}]},)"
      R"("redirect_uri":{"type":"string","maxLength":2048,"description":"The redirect URI registered for the client."})"
      R"(},"required":["name","client_id","client_secret"],"additionalProperties":false})";
  return {
      "store_oauth_credential",
      "Store an OAuth client credential",
      "Store a new OAuth 2.0 client credential (client_id and client_secret, optionally a "
      "refresh token, endpoints, scopes and redirect URI) in the vault, encrypted, under a new "
      "unique name. Use it for OAuth apps (Google, GitHub, Slack, ...); for plain API keys use "
      "store_key. Fails when the name is already taken (use rotate_key to replace the secret "
      "or refresh token of an existing one). Returns metadata only, never the secrets.",
      input,
      key_summary_schema(),
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &store_oauth_credential,
  };
}

}  // namespace ve::mcp::tools
