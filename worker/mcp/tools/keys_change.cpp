// Changes to an existing key: rename_key, rotate_key, pause_key, resume_key,
// delete_key (POST /v1/keys/:idOrName/{rename,rotate,pause,resume}, DELETE
// /v1/keys/:idOrName). Each REST handler commits the change and its audit row
// in one guarded D1 batch, so a failed call writes nothing.
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/schemas.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

using Wording = std::string (*)(std::string);

/// Runs `handler` on the key named by the `key` argument; `wording` adapts
/// REST error messages to the tool's argument names.
async::Task<ToolResult> on_key(CallCtx& ctx, const bj::object& args, std::string_view method,
                               std::string_view route, std::optional<bj::object> body,
                               api::HandlerFn handler, Wording wording = nullptr) {
  auto r = co_await rest_call(
      ctx, {method, route, {arg_string(args, "key").value_or("")}, {}, std::move(body), handler});
  if (!r.ok()) {
    Error e = r.error();
    if (wording != nullptr) e.message = wording(std::move(e.message));
    co_return failed(e);
  }
  co_return key_success(std::move(r.value()));
}

async::Task<ToolResult> rename_key(CallCtx& ctx, const bj::object& args) {
  bj::object body{{"new_name", arg_string(args, "new_name").value_or("")}};
  return on_key(ctx, args, "POST", "/v1/keys/:id/rename", std::move(body), &vault::rename_key);
}

/// Rotation errors say what to send in REST field names; these are the tool's.
std::string rotate_wording(std::string m) {
  m = replace_all(std::move(m), "send {\"key\": <new value>}", "pass the new value in 'value'");
  m = replace_all(std::move(m), "field 'key' is required (the new value)",
                  "argument 'value' is required (the new value)");
  m = replace_all(std::move(m), "{\"client_secret\": ...} or {\"refresh_token\": ...}",
                  "'client_secret' and/or 'refresh_token'");
  m = replace_all(std::move(m), "'key' (api_key credentials)", "'value' (api_key credentials)");
  return m;
}

async::Task<ToolResult> rotate_key(CallCtx& ctx, const bj::object& args) {
  bj::object body;
  for (std::string_view f : {"value", "client_secret", "refresh_token"}) {
    if (auto v = arg_string(args, f)) body[f] = *v;
  }
  if (body.empty()) {
    co_return ToolResult::failure(
        "nothing to rotate to: pass the new secret in 'value' (api_key credentials), or "
        "'client_secret' and/or 'refresh_token' (oauth2 credentials)",
        400);
  }
  co_return co_await on_key(ctx, args, "POST", "/v1/keys/:id/rotate", std::move(body),
                            &vault::rotate_key, &rotate_wording);
}

async::Task<ToolResult> pause_key(CallCtx& ctx, const bj::object& args) {
  return on_key(ctx, args, "POST", "/v1/keys/:id/pause", bj::object{}, &vault::pause_key);
}

async::Task<ToolResult> resume_key(CallCtx& ctx, const bj::object& args) {
  return on_key(ctx, args, "POST", "/v1/keys/:id/resume", bj::object{}, &vault::resume_key);
}

async::Task<ToolResult> delete_key(CallCtx& ctx, const bj::object& args) {
  return on_key(ctx, args, "DELETE", "/v1/keys/:id", std::nullopt, &vault::delete_key);
}

constexpr const char* kPauseOutput =
    R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},)"
    R"("paused":{"type":"boolean"},"paused_at":{"type":["string","null"]}},)"
    R"("required":["id","name","paused","paused_at"]})";

}  // namespace

Tool rename_key_tool() {
  static const std::string input =
      std::string(R"({"type":"object","properties":{)") + kKeyRefProperty +
      R"(,"new_name":{"type":"string","minLength":1,"maxLength":128,"pattern":"^[A-Za-z0-9_.:@+-]+$","description":"The new unique name."})"
      R"(},"required":["key","new_name"],"additionalProperties":false})";
  return {
      "rename_key",
      "Rename a key",
      "Give a key a new name. The old name keeps resolving to the key (reveal_key and `apilocker "
      "run` still accept it and report it as a deprecated alias), so nothing that uses it "
      "breaks. The value and versions are unchanged. Renaming to the current name changes "
      "nothing (renamed: false). Fails when the new name belongs to another key.",
      input,
      R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string","description":"The name now"},"previous_name":{"type":"string"},"renamed":{"type":"boolean","description":"False when it already had this name"}},"required":["id","name","previous_name","renamed"]})",
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &rename_key,
  };
}

Tool rotate_key_tool() {
  static const std::string input =
      std::string(R"({"type":"object","properties":{)") + kKeyRefProperty +
      R"(,"value":{"type":"string","minLength":1,"maxLength":65536,"description":"api_key credentials: the new secret value (create it at the provider first)."},)"
      R"("client_secret":{"type":"string","minLength":1,"maxLength":65536,"description":"oauth2 credentials: the new client secret."},)"
      R"("refresh_token":{"type":"string","minLength":1,"maxLength":65536,"description":"oauth2 credentials: the new refresh token."})"
      R"(},"required":["key"],"additionalProperties":false})";
  return {
      "rotate_key",
      "Rotate a key's value",
      "Replace a key's secret with a new value the user obtained from the provider: 'value' for "
      "an api_key credential, 'client_secret' and/or 'refresh_token' for an oauth2 one. The new "
      "value becomes the current version; the old current version becomes 'previous' and the "
      "version that was previous is retired and its ciphertext deleted — irreversible. It does "
      "not revoke anything at the provider: after a leak, also revoke the old key there. Every "
      "call creates a new version. Returns version numbers, never a value.",
      input,
      R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},"provider":{"type":"string"},"credential_type":{"type":"string","enum":["api_key","oauth2"]},"version":{"type":"integer","description":"The new current version"},"previous_version":{"type":"integer"},"rotated_at":{"type":"string"},"rotated_fields":{"type":"array","items":{"type":"string"},"description":"oauth2 only: the fields replaced"}},"required":["id","name","provider","credential_type","version","previous_version","rotated_at"]})",
      {.read_only = false, .destructive = true, .idempotent = false, .open_world = false},
      "vault:write",
      &rotate_key,
  };
}

Tool pause_key_tool() {
  const std::string& input = key_only_input();
  return {
      "pause_key",
      "Pause a key",
      "Pause a key: proxy use of it is refused until resume_key. Use it to contain a suspected "
      "leak quickly while a new value is obtained. Reversible; the value and versions are kept, "
      "and reveal_key still returns it. Reports an error (nothing changes) when the key is "
      "already paused.",
      input,
      kPauseOutput,
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &pause_key,
  };
}

Tool resume_key_tool() {
  const std::string& input = key_only_input();
  return {
      "resume_key",
      "Resume a paused key",
      "Resume a paused key so it can be used through the proxy again. Reports an error (nothing "
      "changes) when the key is not paused.",
      input,
      kPauseOutput,
      {.read_only = false, .destructive = false, .idempotent = true, .open_world = false},
      "vault:write",
      &resume_key,
  };
}

Tool delete_key_tool() {
  const std::string& input = key_only_input();
  return {
      "delete_key",
      "Delete a key",
      "Permanently delete a key: its metadata, every version, every former name and the "
      "encrypted values. Irreversible — the vault keeps no copy. Confirm with the user first; "
      "to stop use temporarily, prefer pause_key. It does not revoke the key at the provider. "
      "Audit-log entries about the key remain.",
      input,
      R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},"deleted":{"type":"boolean"}},"required":["id","name","deleted"]})",
      {.read_only = false, .destructive = true, .idempotent = true, .open_world = false},
      "vault:write",
      &delete_key,
  };
}

}  // namespace ve::mcp::tools
