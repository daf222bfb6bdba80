// Scoped tokens: create_token, list_tokens, pause_token, resume_token,
// revoke_token (the REST handlers of worker/tokens, run in-process, so they
// write the same token.* audit rows).
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/tokens/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

async::Task<ToolResult> create_token(CallCtx& ctx, const bj::object& args) {
  bj::object body{{"name", arg_string(args, "name").value_or("")}};
  if (const auto* keys = args.if_contains("keys")) body["allowed_keys"] = *keys;
  if (auto rotation = arg_string(args, "rotation")) body["rotation_type"] = *rotation;
  auto r = co_await rest_call(
      ctx, {"POST", "/v1/tokens", {}, {}, std::move(body), &tokens::handlers::create_token});
  if (!r.ok()) co_return failed(r.error());
  r.value().erase("access_token");  // the same value as `token`: say it once
  co_return ToolResult::success(std::move(r.value()));
}

async::Task<ToolResult> list_tokens(CallCtx& ctx, const bj::object&) {
  auto r =
      co_await rest_call(ctx, {"GET", "/v1/tokens", {}, {}, {}, &tokens::handlers::list_tokens});
  if (!r.ok()) co_return failed(r.error());
  bj::array list;
  if (auto* t = r.value().if_contains("tokens"); t && t->is_array())
    list = std::move(t->as_array());
  bj::object out;
  out["count"] = list.size();
  out["tokens"] = std::move(list);
  co_return ToolResult::success(std::move(out));
}

async::Task<ToolResult> on_token(CallCtx& ctx, const bj::object& args, std::string_view method,
                                 std::string_view route, api::HandlerFn handler) {
  std::optional<bj::object> body;
  if (method == "POST") body = bj::object{};
  auto r = co_await rest_call(
      ctx,
      {method, route, {arg_string(args, "token_id").value_or("")}, {}, std::move(body), handler});
  if (!r.ok()) co_return failed(r.error());
  co_return ToolResult::success(std::move(r.value()));
}

async::Task<ToolResult> pause_token(CallCtx& ctx, const bj::object& args) {
  return on_token(ctx, args, "POST", "/v1/tokens/:id/pause", &tokens::handlers::pause_token);
}

async::Task<ToolResult> resume_token(CallCtx& ctx, const bj::object& args) {
  return on_token(ctx, args, "POST", "/v1/tokens/:id/resume", &tokens::handlers::resume_token);
}

async::Task<ToolResult> revoke_token(CallCtx& ctx, const bj::object& args) {
  return on_token(ctx, args, "DELETE", "/v1/tokens/:id", &tokens::handlers::revoke_token);
}

constexpr const char* kTokenIdInput =
    R"({"type":"object","properties":{"token_id":{"type":"string","minLength":1,"maxLength":128,"description":"The token id from list_tokens (tok_...)."}},"required":["token_id"],"additionalProperties":false})";

constexpr const char* kAllowedKeys =
    R"("allowed_keys":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"}},"required":["id","name"]}})";

const std::string& token_schema() {
  static const std::string s =
      std::string(
          R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},)"
          R"("rotation_type":{"type":"string","enum":["static","hourly","daily","weekly","monthly"]},)") +
      kAllowedKeys +
      R"(,"created_at":{"type":"string"},"last_used_at":{"type":["string","null"]},)"
      R"("paused_at":{"type":["string","null"]},"revoked":{"type":"boolean"},"revoked_at":{"type":["string","null"]},)"
      R"("current_token_expires_at":{"type":["string","null"],"description":"When the current credential expires; null: never"},)"
      R"("expires_at":{"type":["string","null"]}},)"
      R"("required":["id","name","rotation_type","allowed_keys","revoked","current_token_expires_at"]})";
  return s;
}

constexpr const char* kStateOutput =
    R"({"type":"object","properties":{"id":{"type":"string"},"paused":{"type":"boolean"},"revoked":{"type":"boolean"}},"required":["id"]})";

}  // namespace

Tool create_token_tool() {
  static const std::string output =
      std::string(
          R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},)"
          R"("rotation_type":{"type":"string"},)") +
      kAllowedKeys +
      R"(,"token":{"type":"string","description":"The SECRET token, shown once"},)"
      R"("refresh_token":{"type":"string","description":"Rotating tokens only: SECRET, exchange at POST /v1/tokens/refresh"},)"
      R"("expires_at":{"type":["string","null"]},"created_at":{"type":"string"}},)"
      R"("required":["id","name","rotation_type","allowed_keys","token","expires_at"]})";
  return {
      "create_token",
      "Create a scoped token",
      "Create a scoped token for an app or script: it may list, reveal and proxy only the keys "
      "given in 'keys' and can never change the vault. Rotation 'static' never expires; "
      "'hourly', 'daily', 'weekly' or 'monthly' tokens expire on that cadence and come with a "
      "refresh token that rotates on every use. The answer contains the SECRET token, shown "
      "only this once: hand it to the user for their app's configuration and do not repeat it "
      "elsewhere.",
      R"({"type":"object","properties":{"name":{"type":"string","minLength":1,"maxLength":100,"description":"What the token is for, e.g. 'billing-worker'."},)"
      R"("keys":{"type":"array","minItems":1,"maxItems":50,"items":{"type":"string","minLength":1,"maxLength":256},"description":"Names or ids of the keys it may use."},)"
      R"("rotation":{"type":"string","enum":["static","hourly","daily","weekly","monthly"],"default":"static","description":"How often its credential expires and must be refreshed; static never expires."}},)"
      R"("required":["name","keys"],"additionalProperties":false})",
      output,
      {.read_only = false, .destructive = false, .idempotent = false, .open_world = false},
      "vault:write",
      &create_token,
  };
}

Tool list_tokens_tool() {
  static const std::string output =
      R"({"type":"object","properties":{"count":{"type":"integer"},"tokens":{"type":"array","items":)" +
      token_schema() + R"(}},"required":["count","tokens"]})";
  return {
      "list_tokens",
      "List scoped tokens",
      "List the user's scoped tokens with the keys each may use, its rotation cadence, when it "
      "was created and last used, whether it is paused or revoked, and when its current "
      "credential expires. Never returns a token value.",
      R"({"type":"object","properties":{},"additionalProperties":false})",
      output,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &list_tokens,
  };
}

Tool pause_token_tool() {
  return {
      "pause_token",
      "Pause a scoped token",
      "Pause a scoped token: its next request is refused until resume_token. Nothing else "
      "changes. Fails when it is already paused or revoked.",
      kTokenIdInput,
      kStateOutput,
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &pause_token,
  };
}

Tool resume_token_tool() {
  return {
      "resume_token",
      "Resume a scoped token",
      "Resume a paused scoped token so its app can use its keys again. Fails when it is not "
      "paused or was revoked.",
      kTokenIdInput,
      kStateOutput,
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &resume_token,
  };
}

Tool revoke_token_tool() {
  return {
      "revoke_token",
      "Revoke a scoped token",
      "Revoke a scoped token for good: every credential of it stops working at its next "
      "request, including refresh tokens. Irreversible — the app needs a new token. Confirm "
      "with the user first. The keys themselves are not affected.",
      kTokenIdInput,
      kStateOutput,
      {.read_only = false, .destructive = true, .idempotent = true, .open_world = false},
      "vault:write",
      &revoke_token,
  };
}

}  // namespace ve::mcp::tools
