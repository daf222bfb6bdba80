// The vault health check (`apilocker doctor`, MCP run_doctor, GET /v1/doctor)
// as pure functions over key, device and scoped-token metadata (no I/O), so
// each rule is unit-testable with fixed clocks; report.hpp gathers the facts.
// Rules and thresholds follow API Locker's `apilocker doctor`:
//   stale_rotation  a key whose last rotation (or creation, if never rotated)
//                   is at least kRotationMaxAgeDays old            (warning)
//   unused          a key not revealed or proxied for kUnusedAfterDays, or
//                   never used and stored at least that long ago   (info)
//   paused          a key that is paused                            (info)
//   idle_device     a device not seen for kDeviceIdleDays           (warning)
//   expiring_token  an active scoped token whose current credential expires
//                   within kTokenExpiryWarnHours (info), or has expired and
//                   was not refreshed (warning)
//   unused_token    an active scoped token not used for kUnusedAfterDays, or
//                   never used and created at least that long ago   (info)
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/result.hpp"
#include "worker/util/time.hpp"

namespace ve::health {

inline constexpr std::int64_t kRotationMaxAgeDays = 90;
inline constexpr std::int64_t kUnusedAfterDays = 30;
inline constexpr std::int64_t kDeviceIdleDays = 60;
/// `apilocker doctor`'s TOKEN_EXPIRY_WARN_HOURS.
inline constexpr std::int64_t kTokenExpiryWarnHours = 48;
/// Accepted range of a caller-chosen threshold (days).
inline constexpr std::int64_t kMinThresholdDays = 1;
inline constexpr std::int64_t kMaxThresholdDays = 3650;
inline constexpr std::int64_t kMsPerDay = util::kMsPerDay;

/// What the rules need of a key (times in ms since the epoch).
struct KeyFacts {
  std::string id;
  std::string name;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> rotated_at;
  std::optional<std::int64_t> paused_at;
  std::optional<std::int64_t> last_used_at;
};

/// What the rules need of a device.
struct DeviceFacts {
  std::string id;
  std::string name;
  std::optional<std::int64_t> created_at;
  std::optional<std::int64_t> last_used_at;
  bool current = false;  ///< the device this connection uses
};

/// What the rules need of a scoped token (revoked tokens are not passed in).
struct TokenFacts {
  std::string id;
  std::string name;
  std::string rotation_type;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> paused_at;
  std::optional<std::int64_t> expires_at;  ///< the current credential's; none: never
};

struct Thresholds {
  std::int64_t rotation_max_age_days = kRotationMaxAgeDays;
  std::int64_t unused_after_days = kUnusedAfterDays;
  std::int64_t device_idle_days = kDeviceIdleDays;
};

/// One threshold as the caller sent it: left out (`given` false: the default
/// stays), or sent with `days` nullopt when it is not a whole number.
struct ThresholdInput {
  bool given = false;
  std::optional<std::int64_t> days;
};

/// The caller's thresholds (rotation_max_age_days, unused_after_days,
/// device_idle_days, checked in that order), each read with `input(name)`;
/// defaults for those left out. Error 400 "<where> '<name>' must be a whole
/// number of days from 1 to 3650" for the first one that is not a whole number
/// in [kMinThresholdDays, kMaxThresholdDays]; `where` names the input ("query"
/// for GET /v1/doctor, "argument" for run_doctor).
Result<Thresholds> read_thresholds(std::string_view where,
                                   const std::function<ThresholdInput(std::string_view)>& input);

/// The REST call that fixes a finding, for the dashboard's buttons.
struct Fix {
  std::string action;  ///< rotate | delete | resume | revoke_device | refresh_token | revoke_token
  std::string method;  ///< "POST" | "DELETE"
  std::string path;    ///< e.g. "/v1/keys/key_abc/rotate" (ids percent-encoded)
};

struct Finding {
  std::string
      kind;  ///< stale_rotation | unused | paused | idle_device | expiring_token | unused_token
  std::string severity;  ///< warning | info
  std::string subject;   ///< key | device | token
  std::string id;        ///< key id, device id or token id
  std::string name;
  std::string detail;  ///< what was found, e.g. "last rotated 120 days ago"
  std::string action;  ///< the tool call (or CLI command) that fixes it, in words
  std::optional<std::int64_t> age_days;
  Fix fix;
};

/// Whole days from `from_ms` to `to_ms` (floored; 0 when `from_ms` is later).
std::int64_t days_between(std::int64_t from_ms, std::int64_t to_ms);

/// Findings for keys, in rule order (stale_rotation, unused, paused), each rule
/// in the keys' order.
std::vector<Finding> key_findings(const std::vector<KeyFacts>& keys, std::int64_t now_ms,
                                  const Thresholds& t);

/// Findings for devices (idle_device). A device never used is measured from
/// its registration.
std::vector<Finding> device_findings(const std::vector<DeviceFacts>& devices, std::int64_t now_ms,
                                     const Thresholds& t);

/// Findings for scoped tokens (expiring_token, then unused_token). Paused
/// tokens are not reported as expiring (they cannot be used anyway).
std::vector<Finding> token_findings(const std::vector<TokenFacts>& tokens, std::int64_t now_ms,
                                    const Thresholds& t);

/// Whether findings carry their `fix` object: GET /v1/doctor shows it; the
/// MCP run_doctor output keeps the shape its outputSchema promised.
enum class FixField { omit, include };

/// The report: `{summary: {healthy, text, keys_checked, devices_checked,
/// tokens_checked, warnings, notes, by_kind: {kind: count}, thresholds:
/// {...}}, findings: [{kind, severity, subject, key_id, device_id, token_id,
/// name, detail, action, age_days[, fix: {action, method, path}]}], checks:
/// [{check, status: ok | findings, detail}]}` (run_doctor's structuredContent).
boost::json::object report(const std::vector<KeyFacts>& keys,
                           const std::vector<DeviceFacts>& devices,
                           const std::vector<TokenFacts>& tokens, std::int64_t now_ms,
                           const Thresholds& t, FixField fixes = FixField::omit);

}  // namespace ve::health
