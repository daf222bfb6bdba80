// list_providers: the provider catalog (GET /v1/providers).
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

async::Task<ToolResult> list_providers(CallCtx& ctx, const bj::object& args) {
  auto r = co_await rest_call(ctx, {"GET", "/v1/providers", {}, {}, {}, &vault::list_providers});
  if (!r.ok()) co_return failed(r.error());
  const auto category = arg_string(args, "category");
  bj::array providers;
  if (auto* all = r.value().if_contains("providers"); all && all->is_array()) {
    for (auto& p : all->as_array()) {
      const auto* c = p.is_object() ? p.as_object().if_contains("category") : nullptr;
      if (category && !(c && c->is_string() && c->as_string() == *category)) continue;
      providers.push_back(std::move(p));
    }
  }
  bj::object out;
  out["providers"] = std::move(providers);
  out["custom"] = r.value()["custom"];
  co_return ToolResult::success(std::move(out));
}

constexpr const char* kOutput =
    R"({"type":"object","properties":{"providers":{"type":"array","items":{"type":"object","properties":{)"
    R"("id":{"type":"string","description":"The id to pass as 'provider'"},"name":{"type":"string"},)"
    R"("category":{"type":"string","enum":["llm","service","oauth"]},)"
    R"("base_url":{"type":["string","null"]},"auth_header_type":{"type":"string"},)"
    R"("auth":{"type":"object"},"headers":{"type":"object"},)"
    R"("credential_type":{"type":"string","enum":["api_key","oauth2"]},)"
    R"("env_name":{"type":["string","null"]},"authorize_url":{"type":"string"},)"
    R"("token_url":{"type":"string"},"aliases":{"type":"array","items":{"type":"string"}}},)"
    R"("required":["id","name","category","base_url","auth_header_type","auth","credential_type","env_name"]}},)"
    R"("custom":{"type":"object","description":"How to store a key for an API not in the catalog"}},)"
    R"("required":["providers","custom"]})";

}  // namespace

Tool list_providers_tool() {
  return {
      "list_providers",
      "List providers",
      "List the providers the vault knows (OpenAI, Anthropic, Stripe, GitHub, Google OAuth, "
      "...): the id to pass as 'provider' to store_key / store_oauth_credential, the category, "
      "the API base URL, how the key is injected into requests, the conventional environment "
      "variable and, for OAuth providers, the default endpoints. 'custom' covers any other "
      "HTTPS API. Contains no user data.",
      R"({"type":"object","properties":{"category":{"type":"string","enum":["llm","service","oauth"],"description":"Only providers of this group."}},"additionalProperties":false})",
      kOutput,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &list_providers,
      /*honours_allowed_keys=*/true,
  };
}

}  // namespace ve::mcp::tools
