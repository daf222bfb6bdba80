#include "worker/health/rules.hpp"

#include <array>

#include "worker/http/message.hpp"

namespace ve::health {

namespace bj = boost::json;

namespace {

std::string days_text(std::int64_t days) {
  return std::to_string(days) + (days == 1 ? " day" : " days");
}

Fix fix_for(std::string action, std::string method, std::string_view prefix, const std::string& id,
            std::string_view suffix = {}) {
  return {std::move(action), std::move(method),
          std::string(prefix) + http::url_encode(id) + std::string(suffix)};
}

std::string check_status(std::size_t n) {
  return n == 0 ? "ok" : "findings";
}

}  // namespace

Result<Thresholds> read_thresholds(std::string_view where,
                                   const std::function<ThresholdInput(std::string_view)>& input) {
  Thresholds t;
  for (auto [name, slot] :
       {std::pair{std::string_view("rotation_max_age_days"), &t.rotation_max_age_days},
        std::pair{std::string_view("unused_after_days"), &t.unused_after_days},
        std::pair{std::string_view("device_idle_days"), &t.device_idle_days}}) {
    const ThresholdInput in = input(name);
    if (!in.given) continue;
    if (!in.days || *in.days < kMinThresholdDays || *in.days > kMaxThresholdDays) {
      return bad_request(
          std::string(where) + " '" + std::string(name) + "' must be a whole number of days from " +
          std::to_string(kMinThresholdDays) + " to " + std::to_string(kMaxThresholdDays));
    }
    *slot = *in.days;
  }
  return t;
}

std::int64_t days_between(std::int64_t from_ms, std::int64_t to_ms) {
  if (to_ms <= from_ms) return 0;
  return (to_ms - from_ms) / kMsPerDay;
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
                     age, fix_for("rotate", "POST", "/v1/keys/", k.id, "/rotate")});
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
           idle, fix_for("delete", "DELETE", "/v1/keys/", k.id)});
    }
  }
  for (const auto& k : keys) {
    if (!k.paused_at) continue;
    const std::int64_t paused = days_between(*k.paused_at, now_ms);
    out.push_back({"paused", "info", "key", k.id, k.name,
                   "paused " + days_text(paused) + " ago: proxy use is refused",
                   "call resume_key once it is safe to use again; if it was paused after a leak, "
                   "call rotate_key with a new value first",
                   paused, fix_for("resume", "POST", "/v1/keys/", k.id, "/resume")});
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
                   "if the user no longer uses that machine, confirm and call revoke_device", idle,
                   fix_for("revoke_device", "POST", "/v1/devices/", d.id, "/revoke")});
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
                     ago, Fix{"refresh_token", "POST", "/v1/tokens/refresh"}});
    } else if (left_h < kTokenExpiryWarnHours) {
      out.push_back({"expiring_token", "info", "token", k.id, k.name,
                     "its current credential expires in " + std::to_string(left_h) + " h (" +
                         k.rotation_type + " rotation)",
                     "nothing to do if the app refreshes it (rotating tokens come with a refresh "
                     "token); otherwise create a new one with create_token",
                     std::nullopt, Fix{"refresh_token", "POST", "/v1/tokens/refresh"}});
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
         "if its app no longer needs it, confirm with the user and call revoke_token", idle,
         fix_for("revoke_token", "DELETE", "/v1/tokens/", k.id)});
  }
  return out;
}

bj::object report(const std::vector<KeyFacts>& keys, const std::vector<DeviceFacts>& devices,
                  const std::vector<TokenFacts>& tokens, std::int64_t now_ms, const Thresholds& t,
                  FixField fixes) {
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
    if (fixes == FixField::include) {
      o["fix"] =
          bj::object{{"action", f.fix.action}, {"method", f.fix.method}, {"path", f.fix.path}};
    }
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

}  // namespace ve::health
