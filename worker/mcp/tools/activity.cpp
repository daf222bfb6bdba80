// get_activity: the caller's audit log, newest first (GET /v1/activity).
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kDefaultLimit = 50;

async::Task<ToolResult> get_activity(CallCtx& ctx, const bj::object& args) {
  std::map<std::string, std::string> query;
  const std::int64_t limit = arg_int(args, "limit").value_or(kDefaultLimit);
  query["limit"] = std::to_string(limit);
  if (auto key = arg_string(args, "key")) query["key_id"] = *key;
  if (auto before = arg_int(args, "before")) query["before"] = std::to_string(*before);
  auto r = co_await rest_call(
      ctx, {"GET", "/v1/activity", {}, std::move(query), {}, &vault::list_activity});
  if (!r.ok()) {
    Error e = r.error();
    e.message = replace_all(std::move(e.message), "query 'before'", "argument 'before'");
    e.message = replace_all(std::move(e.message), "query 'key_id'", "argument 'key'");
    co_return failed(e);
  }
  bj::object out;
  bj::array logs;
  if (auto* l = r.value().if_contains("logs"); l && l->is_array()) logs = std::move(l->as_array());
  // A full page may have more behind it: the oldest id is the next cursor.
  bj::value next = nullptr;
  if (static_cast<std::int64_t>(logs.size()) == limit && !logs.empty() && logs.back().is_object()) {
    if (const auto* id = logs.back().as_object().if_contains("id")) next = *id;
  }
  out["count"] = logs.size();
  out["logs"] = std::move(logs);
  out["next_before"] = next;
  co_return ToolResult::success(std::move(out));
}

constexpr const char* kInput =
    R"({"type":"object","properties":{)"
    R"("limit":{"type":"integer","minimum":1,"maximum":500,"default":50,"description":"How many entries (newest first), 1-500."},)"
    R"("key":{"type":"string","minLength":1,"maxLength":128,"description":"Only entries about this key: its id, an id prefix, or its name at the time."},)"
    R"("before":{"type":"integer","minimum":1,"description":"Only entries older than this entry id: pass next_before from the previous page."})"
    R"(},"additionalProperties":false})";

constexpr const char* kOutput =
    R"({"type":"object","properties":{"count":{"type":"integer"},)"
    R"("next_before":{"type":["integer","null"],"description":"Pass as 'before' for the next page; null when this page is the last"},)"
    R"("logs":{"type":"array","items":{"type":"object","properties":{)"
    R"("id":{"type":"integer"},"created_at":{"type":"string"},"timestamp":{"type":"string"},)"
    R"("action":{"type":"string","description":"e.g. key.create, key.reveal, key.rotate, key.pause, key.delete, device.revoke, mcp.tools/call"},)"
    R"("key_id":{"type":["string","null"]},"key_name":{"type":["string","null"]},)"
    R"("provider":{"type":["string","null"]},"token_id":{"type":["string","null"]},)"
    R"("actor_kind":{"type":"string"},"actor_id":{"type":["string","null"]},)"
    R"("client":{"type":["string","null"]},"source_ip":{"type":["string","null"]},)"
    R"("country":{"type":["string","null"]},"status":{"type":["integer","null"]},)"
    R"("status_code":{"type":["integer","null"]},"latency_ms":{"type":["integer","null"]},)"
    R"("detail":{"type":["string","null"]},"forward_path":{"type":["string","null"]}},)"
    R"("required":["id","created_at","action","key_id","key_name","actor_kind","client","source_ip","country","status","detail"]}}},)"
    R"("required":["count","logs","next_before"]})";

}  // namespace

Tool get_activity_tool() {
  return {
      "get_activity",
      "Get activity (audit log)",
      "Read the vault's audit log, newest first: who did what and when — stores, reveals, "
      "rotations, renames, pauses, deletes, device revocations and tool calls — with the actor "
      "(device, token or app), client, source IP, country, status and latency. Use it to check "
      "whether a key was used or revealed recently, to investigate a suspected leak, or to show "
      "that an operation was logged. Filter by key; page with 'before'. Entries hold metadata "
      "only, never secret values or request bodies.",
      kInput,
      kOutput,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &get_activity,
  };
}

}  // namespace ve::mcp::tools
