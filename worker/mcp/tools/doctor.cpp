// run_doctor: the vault's health check, the same report as GET /v1/doctor
// (worker/health/report.hpp) without the REST `fix` objects, so its output
// keeps the shape of its outputSchema.
#include "worker/health/report.hpp"
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/tools.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

async::Task<ToolResult> run_doctor(CallCtx& ctx, const bj::object& args) {
  // The input schema bounds the thresholds; read_thresholds repeats the bound
  // for callers that skip validation.
  auto t = health::read_thresholds("argument", [&](std::string_view name) {
    if (!args.contains(name)) return health::ThresholdInput{};
    return health::ThresholdInput{true, arg_int(args, name)};
  });
  if (!t.ok()) co_return failed(t.error());
  auto report = co_await health::vault_report(ctx.api, t.value(), health::FixField::omit);
  if (!report.ok()) co_return failed(report.error());
  co_return ToolResult::success(std::move(report.value()));
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
