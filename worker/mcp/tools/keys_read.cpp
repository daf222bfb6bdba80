// list_keys and get_key_metadata: key metadata, never a value (GET /v1/keys,
// GET /v1/keys/:idOrName).
#include <algorithm>

#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/schemas.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

constexpr const char* kListInput =
    R"({"type":"object","properties":{)"
    R"("category":{"type":"string","enum":["llm","service","oauth"],"description":"Only keys of this group: llm (model providers), service (other APIs), oauth (OAuth client credentials)."},)"
    R"("provider":{"type":"string","minLength":1,"maxLength":64,"description":"Only keys of this provider id, e.g. openai, stripe (list_providers shows the ids)."},)"
    R"("tag":{"type":"string","minLength":1,"maxLength":64,"description":"Only keys carrying this tag."})"
    R"(},"additionalProperties":false})";

bool has_tag(const bj::object& key, std::string_view tag) {
  const auto* tags = key.if_contains("tags");
  if (tags == nullptr || !tags->is_array()) return false;
  const auto& a = tags->as_array();
  return std::any_of(a.begin(), a.end(),
                     [&](const bj::value& t) { return t.is_string() && t.as_string() == tag; });
}

bool field_is(const bj::object& key, std::string_view field, std::string_view value) {
  const auto* v = key.if_contains(field);
  return v != nullptr && v->is_string() && v->as_string() == value;
}

async::Task<ToolResult> list_keys(CallCtx& ctx, const bj::object& args) {
  auto r = co_await rest_call(ctx, {"GET", "/v1/keys", {}, {}, {}, &vault::list_keys});
  if (!r.ok()) co_return failed(r.error());
  const auto category = arg_string(args, "category");
  const auto provider = arg_string(args, "provider");
  const auto tag = arg_string(args, "tag");
  bj::array keys;
  if (auto* all = r.value().if_contains("keys"); all && all->is_array()) {
    for (auto& k : all->as_array()) {
      if (!k.is_object()) continue;
      const auto& o = k.as_object();
      if (category && !field_is(o, "category", *category)) continue;
      if (provider && !field_is(o, "provider", *provider)) continue;
      if (tag && !has_tag(o, *tag)) continue;
      keys.push_back(std::move(k));
    }
  }
  bj::object out;
  out["count"] = keys.size();
  out["keys"] = std::move(keys);
  co_return ToolResult::success(std::move(out));
}

async::Task<ToolResult> get_key_metadata(CallCtx& ctx, const bj::object& args) {
  auto r = co_await rest_call(
      ctx,
      {"GET", "/v1/keys/:id", {arg_string(args, "key").value_or("")}, {}, {}, &vault::get_key});
  if (!r.ok()) co_return failed(r.error());
  co_return key_success(std::move(r.value()));
}

}  // namespace

Tool list_keys_tool() {
  static const std::string output =
      R"({"type":"object","properties":{"count":{"type":"integer","description":"Number of keys returned"},"keys":{"type":"array","items":)" +
      key_summary_schema() + R"(}},"required":["count","keys"]})";
  return {
      "list_keys",
      "List keys",
      "List the keys stored in the vault with their metadata: name, id, provider, category "
      "(llm, service, oauth), credential type, tags, created/rotated/last-used/paused times, "
      "current version and former names. Use it to find a key's exact name or id before any "
      "other key tool, or to answer questions about the vault's contents. Optional filters "
      "narrow by category, provider or tag (all given filters must match). It never returns a "
      "secret value; use reveal_key only when the value itself is needed.",
      kListInput,
      output,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &list_keys,
      /*honours_allowed_keys=*/true,
  };
}

Tool get_key_metadata_tool() {
  const std::string& input = key_only_input();
  return {
      "get_key_metadata",
      "Get key metadata",
      "Show one key's metadata: everything list_keys shows plus its version history (version "
      "number, stage current/previous/pending or retired, encryption key id, created and "
      "retired times). Use it to check when a key was last rotated or used, whether it is "
      "paused, or what a former name now points to. It never returns the secret value.",
      input,
      key_detail_schema(),
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &get_key_metadata,
      /*honours_allowed_keys=*/true,
  };
}

}  // namespace ve::mcp::tools
