// run_doctor: the vault's health check. Reads the key, device and scoped-token
// lists through the REST handlers (GET /v1/keys, GET /v1/devices, GET
// /v1/tokens) and applies the rules of doctor_rules.hpp.
#include "worker/auth/handlers.hpp"
#include "worker/mcp/tools/doctor_rules.hpp"
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/tokens/handlers.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

std::optional<std::int64_t> time_field(const bj::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return doctor::parse_iso8601(v->as_string());
}

std::string text_field(const bj::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<doctor::KeyFacts> key_facts(const bj::object& list) {
  std::vector<doctor::KeyFacts> out;
  const auto* keys = list.if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return out;
  for (const auto& k : keys->as_array()) {
    if (!k.is_object()) continue;
    const auto& o = k.as_object();
    out.push_back({text_field(o, "id"), text_field(o, "name"),
                   time_field(o, "created_at").value_or(0), time_field(o, "rotated_at"),
                   time_field(o, "paused_at"), time_field(o, "last_used_at")});
  }
  return out;
}

std::vector<doctor::DeviceFacts> device_facts(const bj::object& list) {
  std::vector<doctor::DeviceFacts> out;
  const auto* devices = list.if_contains("devices");
  if (devices == nullptr || !devices->is_array()) return out;
  for (const auto& d : devices->as_array()) {
    if (!d.is_object()) continue;
    const auto& o = d.as_object();
    const auto* current = o.if_contains("current");
    out.push_back({text_field(o, "id"), text_field(o, "name"), time_field(o, "created_at"),
                   time_field(o, "last_used_at"),
                   current != nullptr && current->is_bool() && current->as_bool()});
  }
  return out;
}

/// Facts of the tokens that can still be used (revoked ones are history).
std::vector<doctor::TokenFacts> token_facts(const bj::object& list) {
  std::vector<doctor::TokenFacts> out;
  const auto* tokens = list.if_contains("tokens");
  if (tokens == nullptr || !tokens->is_array()) return out;
  for (const auto& t : tokens->as_array()) {
    if (!t.is_object()) continue;
    const auto& o = t.as_object();
    const auto* revoked = o.if_contains("revoked");
    if (revoked != nullptr && revoked->is_bool() && revoked->as_bool()) continue;
    out.push_back({text_field(o, "id"), text_field(o, "name"), text_field(o, "rotation_type"),
                   time_field(o, "created_at").value_or(0), time_field(o, "last_used_at"),
                   time_field(o, "paused_at"), time_field(o, "current_token_expires_at")});
  }
  return out;
}

/// A threshold argument, or `fallback`. The input schema bounds it; this
/// repeats the bound for callers that skip validation.
Result<std::int64_t> threshold(const bj::object& args, std::string_view name,
                               std::int64_t fallback) {
  if (!args.contains(name)) return fallback;
  auto v = arg_int(args, name);
  if (!v || *v < doctor::kMinThresholdDays || *v > doctor::kMaxThresholdDays) {
    return bad_request("argument '" + std::string(name) + "' must be a whole number of days from " +
                       std::to_string(doctor::kMinThresholdDays) + " to " +
                       std::to_string(doctor::kMaxThresholdDays));
  }
  return *v;
}

async::Task<ToolResult> run_doctor(CallCtx& ctx, const bj::object& args) {
  doctor::Thresholds t;
  auto rotation = threshold(args, "rotation_max_age_days", doctor::kRotationMaxAgeDays);
  if (!rotation.ok()) co_return failed(rotation.error());
  auto unused = threshold(args, "unused_after_days", doctor::kUnusedAfterDays);
  if (!unused.ok()) co_return failed(unused.error());
  auto idle = threshold(args, "device_idle_days", doctor::kDeviceIdleDays);
  if (!idle.ok()) co_return failed(idle.error());
  t.rotation_max_age_days = rotation.value();
  t.unused_after_days = unused.value();
  t.device_idle_days = idle.value();

  auto keys = co_await rest_call(ctx, {"GET", "/v1/keys", {}, {}, {}, &vault::list_keys});
  if (!keys.ok()) co_return failed(keys.error());
  auto devices =
      co_await rest_call(ctx, {"GET", "/v1/devices", {}, {}, {}, &auth::handlers::list_devices});
  if (!devices.ok()) co_return failed(devices.error());
  auto tokens =
      co_await rest_call(ctx, {"GET", "/v1/tokens", {}, {}, {}, &tokens::handlers::list_tokens});
  if (!tokens.ok()) co_return failed(tokens.error());
  co_return ToolResult::success(doctor::report(key_facts(keys.value()),
                                               device_facts(devices.value()),
                                               token_facts(tokens.value()), util::now_ms(), t));
}

constexpr const char* kInput =
    R"({"type":"object","properties":{)"
    R"("rotation_max_age_days":{"type":"integer","minimum":1,"maximum":3650,"default":90,"description":"Flag keys whose last rotation (or creation) is at least this many days old."},)"
    R"("unused_after_days":{"type":"integer","minimum":1,"maximum":3650,"default":30,"description":"Flag keys not revealed or proxied, and scoped tokens not used, for this many days."},)"
    R"("device_idle_days":{"type":"integer","minimum":1,"maximum":3650,"default":60,"description":"Flag devices not seen for this many days."})"
    R"(},"additionalProperties":false})";

constexpr const char* kOutput =
    R"({"type":"object","properties":{)"
    R"("summary":{"type":"object","properties":{"healthy":{"type":"boolean"},"text":{"type":"string"},)"
    R"("keys_checked":{"type":"integer"},"devices_checked":{"type":"integer"},"tokens_checked":{"type":"integer"},)"
    R"("warnings":{"type":"integer"},"notes":{"type":"integer"},)"
    R"("by_kind":{"type":"object","additionalProperties":{"type":"integer"}},)"
    R"("thresholds":{"type":"object","properties":{"rotation_max_age_days":{"type":"integer"},"unused_after_days":{"type":"integer"},"device_idle_days":{"type":"integer"}},"required":["rotation_max_age_days","unused_after_days","device_idle_days"]}},)"
    R"("required":["healthy","text","keys_checked","devices_checked","tokens_checked","warnings","notes","by_kind","thresholds"]},)"
    R"("findings":{"type":"array","items":{"type":"object","properties":{)"
    R"("kind":{"type":"string","enum":["stale_rotation","unused","paused","idle_device","expiring_token","unused_token"]},)"
    R"("severity":{"type":"string","enum":["warning","info"]},)"
    R"("subject":{"type":"string","enum":["key","device","token"]},)"
    R"("key_id":{"type":["string","null"]},"device_id":{"type":["string","null"]},"token_id":{"type":["string","null"]},)"
    R"("name":{"type":"string"},"detail":{"type":"string"},)"
    R"("action":{"type":"string","description":"What to do about it"},)"
    R"("age_days":{"type":["integer","null"]}},)"
    R"("required":["kind","severity","subject","key_id","device_id","token_id","name","detail","action","age_days"]}},)"
    R"("checks":{"type":"array","items":{"type":"object","properties":{)"
    R"("check":{"type":"string"},"status":{"type":"string","enum":["ok","findings"]},)"
    R"("detail":{"type":"string"}},"required":["check","status","detail"]}})"
    R"(},"required":["summary","findings","checks"]})";

}  // namespace

Tool run_doctor_tool() {
  return {
      "run_doctor",
      "Check the vault's health",
      "Run a security health check of the vault and return findings with a suggested action "
      "each: keys not rotated for 90+ days (from their last rotation, or creation if never "
      "rotated), keys unused for 30+ days (no reveal or proxy use), paused keys, devices not "
      "seen for 60+ days, scoped tokens whose credential expires within 48 hours (or expired "
      "unrefreshed) and scoped tokens unused for 30+ days; thresholds are adjustable. `checks` "
      "says what was checked. Use it first when "
      "asked whether the vault is healthy or which keys need rotating. Changes nothing and "
      "returns no secret values.",
      kInput,
      kOutput,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &run_doctor,
  };
}

}  // namespace ve::mcp::tools
