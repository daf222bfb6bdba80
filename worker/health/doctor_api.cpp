// GET /v1/doctor: the dashboard's health page (docs/rest.md "Health").
#include <string>

#include "worker/health/handlers.hpp"
#include "worker/health/report.hpp"
#include "worker/http/reply.hpp"
#include "worker/util/number.hpp"

namespace ve::health {

namespace {

/// The query parameter `name` as read_thresholds wants it: absent, or its
/// value when the whole string is a decimal integer.
ThresholdInput query_threshold(const std::map<std::string, std::string>& query,
                               std::string_view name) {
  auto it = query.find(std::string(name));
  if (it == query.end()) return {};
  return {true, util::parse_int64(it->second)};
}

}  // namespace

async::Task<http::Response> get_doctor(api::Ctx& ctx) {
  auto t = read_thresholds(
      "query", [&](std::string_view name) { return query_threshold(ctx.req.query, name); });
  if (!t.ok()) co_return http::error(t.error());
  auto report = co_await vault_report(ctx, t.value(), FixField::include);
  if (!report.ok()) co_return http::error(report.error());
  co_return http::json(200, report.value());
}

}  // namespace ve::health
