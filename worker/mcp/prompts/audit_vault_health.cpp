// audit_vault_health: run the health check and turn it into a prioritised plan,
// changing nothing without the user's go-ahead.
#include "worker/health/rules.hpp"
#include "worker/mcp/prompts/prompts.hpp"
#include "worker/util/number.hpp"

namespace ve::mcp::prompts {

namespace {

constexpr std::string_view kDescription =
    "Audit the vault's health: stale rotations, unused and paused keys, idle devices, recent "
    "activity; a prioritised list of fixes";

Result<std::int64_t> stale_after(const std::map<std::string, std::string>& args) {
  auto it = args.find("stale_after_days");
  if (it == args.end() || it->second.empty()) return health::kRotationMaxAgeDays;
  auto v = util::parse_int64(it->second);
  if (!v || *v < health::kMinThresholdDays || *v > health::kMaxThresholdDays) {
    return bad_request("argument 'stale_after_days' must be a whole number of days from 1 to 3650");
  }
  return *v;
}

/// The message text for a stale-after threshold of `days`.
std::string message_text(std::int64_t days) {
  const std::string n = std::to_string(days);
  std::string text =
      "Audit the health of my API Locker vault (vaultedge) and tell me what to fix, most "
      "urgent first.\n\n"
      "1. Call run_doctor with {\"rotation_max_age_days\": " +
      n + "}. It flags keys whose last rotation (or creation) is at least " + n +
      " days old, keys unused for 30+ days, paused keys and devices not seen for 60+ days, and "
      "its `checks` list says what could not be checked (for example token expiry).\n"
      "2. For each stale_rotation or paused finding, call get_key_metadata with the key's id to "
      "see its versions, and get_activity with {\"key\": <key id>, \"limit\": 20} to see who "
      "used it recently. Look for reveals or calls from clients, IPs or countries I would not "
      "recognise.\n"
      "3. If there are idle_device findings, call list_devices to show which machines they are "
      "(and whether one is the device this connection uses).\n"
      "4. Report: a short summary line, then the findings grouped by severity (warnings first), "
      "each with the key or device name, what was found and the concrete next step (for a stale "
      "key: create a new key at the provider, then rotate_key with it and revoke the old one at "
      "the provider; for an unused key: confirm it is no longer needed before delete_key; for an "
      "idle device: revoke_device once I confirm it is not in use).\n\n"
      "Rules: this is an audit — do not call rotate_key, delete_key, pause_key, resume_key or "
      "revoke_device unless I say so after seeing the report. Never call reveal_key: no secret "
      "value is needed for an audit.";
  return text;
}

async::Task<Result<boost::json::object>> get(CallCtx&,
                                             const std::map<std::string, std::string>& args) {
  auto days = stale_after(args);
  if (!days.ok()) co_return days.error();
  co_return user_message(kDescription, message_text(days.value()));
}

}  // namespace

Prompt audit_vault_health_prompt() {
  return {
      "audit_vault_health",
      "Audit my vault's health",
      "Check the vault for keys due for rotation, unused or paused keys and idle devices, look "
      "at their recent activity, and get a prioritised list of fixes. Changes nothing.",
      {{"stale_after_days",
        "Flag keys not rotated for this many days (whole number, 1-3650; default 90).", false}},
      &get,
  };
}

}  // namespace ve::mcp::prompts
