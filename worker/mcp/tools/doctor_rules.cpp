#include "worker/mcp/tools/doctor_rules.hpp"

#include <array>
#include <charconv>

namespace ve::mcp::doctor {

namespace bj = boost::json;

namespace {

std::string days_text(std::int64_t days) {
  return std::to_string(days) + (days == 1 ? " day" : " days");
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The decimal number in s[pos, pos + len), or nullopt.
std::optional<std::int64_t> digits(std::string_view s, std::size_t pos, std::size_t len) {
  if (pos + len > s.size()) return std::nullopt;
  std::int64_t v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::string check_status(std::size_t n) {
  return n == 0 ? "ok" : "findings";
}

}  // namespace

std::int64_t days_between(std::int64_t from_ms, std::int64_t to_ms) {
  if (to_ms <= from_ms) return 0;
  return (to_ms - from_ms) / kMsPerDay;
}

std::optional<std::int64_t> parse_iso8601(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      s.back() != 'Z') {
    return std::nullopt;
  }
  auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  auto h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
      *mi > 59 || *se > 60) {
    return std::nullopt;
  }
  std::int64_t ms = 0;
  if (s.size() > 20) {
    if (s[19] != '.' || s.size() < 22) return std::nullopt;
    const std::size_t n = s.size() - 21;  // fraction digits
    auto frac = digits(s, 20, n);
    if (!frac || n > 9) return std::nullopt;
    ms = *frac;
    for (std::size_t i = n; i < 3; ++i) ms *= 10;
    for (std::size_t i = 3; i < n; ++i) ms /= 10;
  } else if (s.size() != 20) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(*y, *mo, *d);
  return ((days * 24 + *h) * 60 + *mi) * 60 * 1000 + *se * 1000 + ms;
}

std::vector<Finding> key_findings(const std::vector<KeyFacts>& keys, std::int64_t now_ms,
                                  const Thresholds& t) {
  std::vector<Finding> out;
  for (const auto& k : keys) {
    const std::int64_t since = k.rotated_at.value_or(k.created_at);
    const std::int64_t age = days_between(since, now_ms);
    if (age >= t.rotation_max_age_days) {
      out.push_back({"stale_rotation", "warning", "key", k.id, k.name,
                     (k.rotated_at ? "last rotated " : "never rotated; stored ") + days_text(age) +
                         " ago (limit " + days_text(t.rotation_max_age_days) + ")",
                     "create a new key at the provider, then call rotate_key with it; revoke the "
                     "old one at the provider",
                     age});
    }
  }
  for (const auto& k : keys) {
    const std::int64_t since = k.last_used_at.value_or(k.created_at);
    const std::int64_t idle = days_between(since, now_ms);
    if (idle >= t.unused_after_days) {
      out.push_back(
          {"unused", "info", "key", k.id, k.name,
           (k.last_used_at ? "last used " + days_text(idle) + " ago"
                           : "never used since it was stored " + days_text(idle) + " ago") +
               " (limit " + days_text(t.unused_after_days) + ")",
           "if nothing needs it any more, confirm with the user and call delete_key "
           "(and revoke it at the provider); otherwise keep it",
           idle});
    }
  }
  for (const auto& k : keys) {
    if (!k.paused_at) continue;
    const std::int64_t paused = days_between(*k.paused_at, now_ms);
    out.push_back({"paused", "info", "key", k.id, k.name,
                   "paused " + days_text(paused) + " ago: proxy use is refused",
                   "call resume_key once it is safe to use again; if it was paused after a leak, "
                   "call rotate_key with a new value first",
                   paused});
  }
  return out;
}

std::vector<Finding> device_findings(const std::vector<DeviceFacts>& devices, std::int64_t now_ms,
                                     const Thresholds& t) {
  std::vector<Finding> out;
  for (const auto& d : devices) {
    const auto since = d.last_used_at ? d.last_used_at : d.created_at;
    if (!since) continue;
    const std::int64_t idle = days_between(*since, now_ms);
    if (idle < t.device_idle_days) continue;
    out.push_back({"idle_device", "warning", "device", d.id, d.name,
                   (d.last_used_at ? "last seen " : "never used since registration ") +
                       days_text(idle) + " ago (limit " + days_text(t.device_idle_days) + ")" +
                       (d.current ? "; this is the device this connection uses" : ""),
                   "if the user no longer uses that machine, confirm and call revoke_device",
                   idle});
  }
  return out;
}

std::vector<Finding> token_findings(const std::vector<TokenFacts>& tokens, std::int64_t now_ms,
                                    const Thresholds& t) {
  std::vector<Finding> out;
  constexpr std::int64_t kMsPerHour = 3'600'000;
  for (const auto& k : tokens) {
    if (k.paused_at || !k.expires_at) continue;
    const std::int64_t left_h = (*k.expires_at - now_ms) / kMsPerHour;
    if (*k.expires_at <= now_ms) {
      const std::int64_t ago = days_between(*k.expires_at, now_ms);
      out.push_back({"expiring_token", "warning", "token", k.id, k.name,
                     "its current credential expired " + days_text(ago) + " ago (" +
                         k.rotation_type + " rotation) and was not refreshed",
                     "the app must refresh it (POST /v1/tokens/refresh); if the app is gone, "
                     "confirm with the user and call revoke_token",
                     ago});
    } else if (left_h < kTokenExpiryWarnHours) {
      out.push_back({"expiring_token", "info", "token", k.id, k.name,
                     "its current credential expires in " + std::to_string(left_h) + " h (" +
                         k.rotation_type + " rotation)",
                     "nothing to do if the app refreshes it (rotating tokens come with a refresh "
                     "token); otherwise create a new one with create_token",
                     std::nullopt});
    }
  }
  for (const auto& k : tokens) {
    const std::int64_t idle = days_between(k.last_used_at.value_or(k.created_at), now_ms);
    if (idle < t.unused_after_days) continue;
    out.push_back(
        {"unused_token", "info", "token", k.id, k.name,
         (k.last_used_at ? "last used " + days_text(idle) + " ago"
                         : "never used since it was created " + days_text(idle) + " ago") +
             " (limit " + days_text(t.unused_after_days) + ")",
         "if its app no longer needs it, confirm with the user and call revoke_token", idle});
  }
  return out;
}

bj::object report(const std::vector<KeyFacts>& keys, const std::vector<DeviceFacts>& devices,
                  const std::vector<TokenFacts>& tokens, std::int64_t now_ms, const Thresholds& t) {
  std::vector<Finding> all = key_findings(keys, now_ms, t);
  for (auto& f : device_findings(devices, now_ms, t)) all.push_back(std::move(f));
  for (auto& f : token_findings(tokens, now_ms, t)) all.push_back(std::move(f));

  std::array<std::pair<std::string_view, std::size_t>, 6> by_kind = {{{"stale_rotation", 0},
                                                                      {"unused", 0},
                                                                      {"paused", 0},
                                                                      {"idle_device", 0},
                                                                      {"expiring_token", 0},
                                                                      {"unused_token", 0}}};
  std::size_t warnings = 0;
  bj::array findings;
  for (const auto& f : all) {
    for (auto& [kind, n] : by_kind) n += kind == f.kind ? 1 : 0;
    warnings += f.severity == "warning" ? 1 : 0;
    bj::object o;
    o["kind"] = f.kind;
    o["severity"] = f.severity;
    o["subject"] = f.subject;
    o["key_id"] = f.subject == "key" ? bj::value(f.id) : bj::value(nullptr);
    o["device_id"] = f.subject == "device" ? bj::value(f.id) : bj::value(nullptr);
    o["token_id"] = f.subject == "token" ? bj::value(f.id) : bj::value(nullptr);
    o["name"] = f.name;
    o["detail"] = f.detail;
    o["action"] = f.action;
    o["age_days"] = f.age_days ? bj::value(*f.age_days) : bj::value(nullptr);
    findings.push_back(std::move(o));
  }
  const std::size_t notes = all.size() - warnings;

  bj::object counts;
  for (const auto& [kind, n] : by_kind) counts[kind] = n;
  bj::object summary;
  summary["healthy"] = all.empty();
  summary["text"] =
      all.empty()
          ? std::string("all checks passed: the vault looks healthy")
          : std::to_string(warnings) + (warnings == 1 ? " warning, " : " warnings, ") +
                std::to_string(notes) + (notes == 1 ? " note" : " notes") + " across " +
                std::to_string(keys.size()) + (keys.size() == 1 ? " key" : " keys") + ", " +
                std::to_string(devices.size()) + (devices.size() == 1 ? " device" : " devices") +
                " and " + std::to_string(tokens.size()) +
                (tokens.size() == 1 ? " scoped token" : " scoped tokens");
  summary["keys_checked"] = keys.size();
  summary["devices_checked"] = devices.size();
  summary["tokens_checked"] = tokens.size();
  summary["warnings"] = warnings;
  summary["notes"] = notes;
  summary["by_kind"] = std::move(counts);
  summary["thresholds"] = bj::object{{"rotation_max_age_days", t.rotation_max_age_days},
                                     {"unused_after_days", t.unused_after_days},
                                     {"device_idle_days", t.device_idle_days}};

  bj::array checks;
  const auto check = [&](std::string_view name, std::string status, std::string detail) {
    checks.push_back(bj::object{{"check", name}, {"status", status}, {"detail", detail}});
  };
  check("rotation", check_status(by_kind[0].second),
        "keys whose last rotation (or creation) is " + days_text(t.rotation_max_age_days) +
            " old or more");
  check("unused_keys", check_status(by_kind[1].second),
        "keys not revealed or proxied for " + days_text(t.unused_after_days) +
            " (from each key's last use, recorded on every reveal and proxy call)");
  check("paused_keys", check_status(by_kind[2].second), "keys that are paused");
  check("idle_devices", check_status(by_kind[3].second),
        "devices not seen for " + days_text(t.device_idle_days));
  check("expiring_tokens", check_status(by_kind[4].second),
        "active scoped tokens whose current credential expires within " +
            std::to_string(kTokenExpiryWarnHours) + " h or has expired");
  check("unused_tokens", check_status(by_kind[5].second),
        "active scoped tokens not used for " + days_text(t.unused_after_days));

  bj::object out;
  out["summary"] = std::move(summary);
  out["findings"] = std::move(findings);
  out["checks"] = std::move(checks);
  return out;
}

}  // namespace ve::mcp::doctor
