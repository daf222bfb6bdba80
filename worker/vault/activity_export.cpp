// GET /v1/activity/export?format=csv|jsonl&<filters>: the caller's audit rows,
// oldest first, as a download (at most kMaxExportRows; more → 400
// range_too_large, so an export is never silently cut short).
#include <array>
#include <boost/json.hpp>
#include <string_view>

#include "worker/http/reply.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/activity_csv.hpp"
#include "worker/vault/activity_log.hpp"
#include "worker/vault/activity_query.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kMaxExportRows = 10'000;

/// The CSV columns: the fields of log_json, without its CLI aliases
/// (timestamp, status_code, forward_path).
constexpr std::array<std::string_view, 15> kCsvColumns = {
    "id",       "created_at", "action",   "status",     "key_id",
    "key_name", "provider",   "token_id", "actor_kind", "actor_id",
    "client",   "source_ip",  "country",  "latency_ms", "detail"};

std::string cell_text(const bj::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  return {};  // null
}

/// "2026-11-03" of a time in ms.
std::string day_of(std::int64_t ms) {
  return util::iso8601(ms).substr(0, 10);
}

}  // namespace

async::Task<http::Response> export_activity(api::Ctx& ctx) {
  const auto& q = ctx.req.query;
  bool csv = true;
  if (auto it = q.find("format"); it != q.end()) {
    if (it->second != "csv" && it->second != "jsonl") {
      co_return http::error(bad_request("query 'format' must be csv or jsonl"));
    }
    csv = it->second == "csv";
  }
  auto filter = parse_filter(q);
  if (!filter.ok()) co_return http::error(filter.error());

  ActivitySql select = filtered_from(ctx.principal.user_id, filter.value());
  select.sql = std::string("SELECT ") + kLogColumns + select.sql + " ORDER BY a.id ASC LIMIT " +
               select.bind(kMaxExportRows + 1);
  std::vector<async::Statement> batch;
  batch.push_back({std::move(select.sql), std::move(select.params)});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& found = rows.value()[0];
  if (found.rows.size() > static_cast<std::size_t>(kMaxExportRows)) {
    co_return http::error(
        bad_request("more than 10000 log rows match: narrow the range with 'from' and 'to' (or add "
                    "filters) and export it in parts",
                    "range_too_large"));
  }

  std::string body;
  if (csv) append_csv_record(body, kCsvColumns);
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < found.rows.size(); ++i) {
    const bj::object log = log_json(found, i);
    if (!csv) {
      body += bj::serialize(log);
      body.push_back('\n');
      continue;
    }
    cells.clear();
    for (auto column : kCsvColumns) cells.push_back(cell_text(log.at(column)));
    append_csv_record(body, cells);
  }

  // The file is named after the range asked for; an open end is named after
  // the first exported row (or today) and today.
  const std::int64_t now = util::now_ms();
  const auto first = store::integer(found, 0, "created_at");  // nullopt when no row
  const std::string from = day_of(filter.value().from_ms.value_or(first.value_or(now)));
  const std::string to = day_of(filter.value().to_ms.value_or(now));
  const std::string filename = "vaultedge-activity-" + from + "-" + to + (csv ? ".csv" : ".jsonl");
  co_return http::Response{
      200,
      {{"content-type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson"},
       {"content-disposition", "attachment; filename=\"" + filename + "\""},
       {"cache-control", "no-store"},
       {"x-content-type-options", "nosniff"}},
      std::move(body)};
}

}  // namespace ve::vault
