// GET /v1/doctor: the dashboard's health page (docs/rest.md "Health").
#include <charconv>
#include <string>

#include "worker/health/handlers.hpp"
#include "worker/health/report.hpp"
#include "worker/http/reply.hpp"

namespace ve::health {

namespace {

/// The threshold `name` from the query, or `fallback`.
Result<std::int64_t> threshold(const std::map<std::string, std::string>& query,
                               const std::string& name, std::int64_t fallback) {
  auto it = query.find(name);
  if (it == query.end()) return fallback;
  const std::string& s = it->second;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < kMinThresholdDays ||
      v > kMaxThresholdDays) {
    return bad_request("query '" + name + "' must be a whole number of days from " +
                       std::to_string(kMinThresholdDays) + " to " +
                       std::to_string(kMaxThresholdDays));
  }
  return v;
}

}  // namespace

async::Task<http::Response> get_doctor(api::Ctx& ctx) {
  Thresholds t;
  for (auto [name, slot] : {std::pair{"rotation_max_age_days", &t.rotation_max_age_days},
                            std::pair{"unused_after_days", &t.unused_after_days},
                            std::pair{"device_idle_days", &t.device_idle_days}}) {
    auto v = threshold(ctx.req.query, name, *slot);
    if (!v.ok()) co_return http::error(v.error());
    *slot = v.value();
  }
  auto report = co_await vault_report(ctx, t, FixField::include);
  if (!report.ok()) co_return http::error(report.error());
  co_return http::json(200, report.value());
}

}  // namespace ve::health
