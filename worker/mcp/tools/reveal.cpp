// reveal_key: one key's current value (POST /v1/keys/reveal with one reference).
// The REST handler writes the key.reveal audit row and bumps last_used_at
// before the value leaves.
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/schemas.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

async::Task<ToolResult> reveal_key(CallCtx& ctx, const bj::object& args) {
  const std::string ref = arg_string(args, "key").value_or("");
  bj::object body{{"keys", bj::array{bj::value(ref)}}};
  auto r = co_await rest_call(
      ctx, {"POST", "/v1/keys/reveal", {}, {}, std::move(body), &vault::reveal_keys});
  if (!r.ok()) co_return failed(r.error());
  auto* keys = r.value().if_contains("keys");
  if (keys == nullptr || !keys->is_array() || keys->as_array().empty() ||
      !keys->as_array()[0].is_object()) {
    co_return failed(not_found("no key '" + ref.substr(0, 128) +
                               "' in your vault: call list_keys to see your keys' names and ids"));
  }
  co_return key_success(std::move(keys->as_array()[0].as_object()));
}

constexpr const char* kOutput =
    R"({"type":"object","properties":{)"
    R"("id":{"type":"string"},"name":{"type":"string"},"provider":{"type":"string"},)"
    R"("category":{"type":"string","enum":["llm","service","oauth"]},)"
    R"("credential_type":{"type":"string","enum":["api_key","oauth2"]},)"
    R"("version":{"type":"integer"},"paused":{"type":"boolean"},)"
    R"("requested_as":{"type":"string","description":"The reference given in 'key'"},)"
    R"("deprecated_alias":{"type":"boolean","description":"True when 'key' was a former name: switch to the current name"},)"
    R"("value":{"type":"string","description":"api_key only: the secret value"},)"
    R"("env_name":{"type":"string","description":"api_key only: the environment variable it conventionally goes in"},)"
    R"("fields":{"type":"object","additionalProperties":{"type":"string"},"description":"oauth2 only: client_id, client_secret, refresh_token, ... — secret"},)"
    R"("env_names":{"type":"object","additionalProperties":{"type":"string"},"description":"oauth2 only: the environment variable of each field"})"
    R"(},"required":["id","name","provider","category","credential_type","version","paused","requested_as","deprecated_alias"]})";

}  // namespace

Tool reveal_key_tool() {
  const std::string& input = key_only_input();
  return {
      "reveal_key",
      "Reveal a key's secret value",
      "Return the current SECRET VALUE of one key (for an oauth2 credential: its client_id, "
      "client_secret, refresh_token and other fields) with the environment variable name it "
      "belongs in. This changes nothing in the vault, but it is not harmless: the secret enters "
      "this conversation, the model's context and possibly the client's logs. Use it only when "
      "the user explicitly needs the value itself. To use a key without seeing it, prefer a "
      "server-side proxy tool when one is listed, or have the user run `apilocker run --keys "
      "NAME -- <command>`, which injects it as an environment variable. Never repeat a revealed "
      "value back unless asked. Every reveal is audit-logged. Paused keys can still be revealed.",
      input,
      kOutput,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &reveal_key,
      /*honours_allowed_keys=*/true,
  };
}

}  // namespace ve::mcp::tools
