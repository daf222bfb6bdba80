// GET /v1/activity: the caller's audit rows (metadata only: never values or
// bodies), newest first, with the filters of activity_query.hpp and two
// cursors: `before` pages older, `since` fetches what is new (the dashboard's
// live view polls with the latest_id of its previous answer).
#include <algorithm>
#include <boost/json.hpp>

#include "worker/http/reply.hpp"
#include "worker/store/rows.hpp"
#include "worker/vault/activity_log.hpp"
#include "worker/vault/activity_query.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {
constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;
}  // namespace

async::Task<http::Response> list_activity(api::Ctx& ctx) {
  const auto& q = ctx.req.query;
  std::int64_t limit = kDefaultLimit;
  if (auto it = q.find("limit"); it != q.end()) {
    auto v = parse_positive(it->second, kMaxLimit);
    if (!v) co_return http::error(bad_request("query 'limit' must be an integer from 1 to 500"));
    limit = *v;
  }
  auto filter = parse_filter(q);
  if (!filter.ok()) co_return http::error(filter.error());
  // With `since` the page is the OLDEST rows after it (then shown newest
  // first), so a poller that falls more than a page behind catches up on its
  // next calls instead of skipping rows.
  const bool polling = filter.value().since.has_value();

  ActivitySql select = filtered_from(ctx.principal.user_id, filter.value());
  select.sql = std::string("SELECT ") + kLogColumns + select.sql + " ORDER BY a.id " +
               (polling ? "ASC" : "DESC") + " LIMIT " + select.bind(limit + 1);
  std::vector<async::Statement> batch;
  batch.push_back({std::move(select.sql), std::move(select.params)});
  // In the same transaction: the newest row id of the user, whatever matched.
  batch.push_back(
      {"SELECT MAX(id) AS latest FROM audit_log WHERE user_id = ?1", {ctx.principal.user_id}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& found = rows.value()[0];

  const std::size_t n = std::min<std::size_t>(found.rows.size(), static_cast<std::size_t>(limit));
  const bool more = found.rows.size() > n;
  bj::array logs;
  for (std::size_t i = 0; i < n; ++i) logs.emplace_back(log_json(found, i));
  if (polling) std::reverse(logs.begin(), logs.end());

  const auto id_at = [&](std::size_t i) { return logs[i].as_object().at("id").as_int64(); };
  std::int64_t latest = store::integer(rows.value()[1], 0, "latest").value_or(0);
  bj::value next_before = nullptr;
  if (polling && more) {
    latest = id_at(0);  // newer rows are still waiting: resume after this page
  } else if (!polling && more) {
    next_before = id_at(n - 1);
  }
  co_return http::json(200, bj::object{{"logs", std::move(logs)},
                                       {"latest_id", latest},
                                       {"next_before", std::move(next_before)}});
}

}  // namespace ve::vault
