// GET /v1/activity/stats?days=30: per-UTC-day counts of reveals, proxy calls,
// denials and MCP tool calls over the last `days` days, by key and by app, from
// ONE grouped query (day × key × app); the two views are sums of its cells.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "worker/http/reply.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/activity_query.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kDefaultDays = 30;
constexpr std::int64_t kMaxDays = 90;

/// One series per counter, a value per day.
struct Series {
  std::vector<std::int64_t> reveals, proxy, denials, tool_calls;
  std::int64_t total = 0;
  explicit Series(std::size_t days) : reveals(days), proxy(days), denials(days), tool_calls(days) {}
};

bj::array to_json(const std::vector<std::int64_t>& v) {
  return bj::array(v.begin(), v.end());
}

/// Entries sorted by total activity (most first), then by label.
template <typename Entry>
void sort_busiest_first(std::vector<Entry>& v) {
  std::stable_sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) {
    return a.series.total != b.series.total ? a.series.total > b.series.total : a.label < b.label;
  });
}

struct KeyEntry {
  std::string key_id, label;
  Series series;
};
struct AppEntry {
  std::optional<std::string> client_id;
  std::string label;
  Series series;
};

}  // namespace

async::Task<http::Response> activity_stats(api::Ctx& ctx) {
  std::int64_t days = kDefaultDays;
  if (auto it = ctx.req.query.find("days"); it != ctx.req.query.end()) {
    auto v = parse_positive(it->second, kMaxDays);
    if (!v) co_return http::error(bad_request("query 'days' must be an integer from 1 to 90"));
    days = *v;
  }
  // UTC days, today included: [midnight (days - 1) days ago, next midnight).
  const std::int64_t now = util::now_ms();
  const std::int64_t today = now - now % util::kMsPerDay;
  ActivityFilter window;
  window.from_ms = today - (days - 1) * util::kMsPerDay;
  window.to_ms = today + util::kMsPerDay;

  ActivitySql q = filtered_from(ctx.principal.user_id, window);
  q.sql += " AND a.action IN ('key.reveal', 'key.proxy', 'mcp.tool_call')";
  const std::string from = q.bind(*window.from_ms);
  // An app is an OAuth client (by client id), else the client label of the row
  // ("apilocker-cli", an MCP client's name) or, without one, the actor kind.
  const std::string app_key =
      "CASE WHEN a.actor_kind = 'oauth' THEN 'oauth:' || a.actor_id ELSE "
      "'label:' || COALESCE(a.client, a.actor_kind) END";
  // CAST: D1 may bind a JS number as REAL, which would make the division real.
  q.sql = "SELECT CAST((a.created_at - " + from + ") / 86400000 AS INTEGER) AS day, " +
          "a.key_id AS key_id, " + "COALESCE(MAX(k.name), MAX(a.key_name)) AS key_name, " +
          app_key +
          " AS app, MAX(CASE WHEN a.actor_kind = 'oauth' THEN a.actor_id END) AS client_id, " +
          "MAX(COALESCE(a.client, a.actor_kind)) AS client, " +
          "SUM(a.action = 'key.reveal' AND a.status < 400) AS reveals, " +
          "SUM(a.action = 'key.proxy' AND a.status < 400) AS proxy, " +
          "SUM(a.status IN (401, 403, 423, 429)) AS denials, " +
          "SUM(a.action = 'mcp.tool_call') AS tool_calls" + q.sql + " GROUP BY day, a.key_id, app";
  std::vector<async::Statement> batch;
  batch.push_back({std::move(q.sql), std::move(q.params)});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& r = rows.value()[0];

  const auto n = static_cast<std::size_t>(days);
  std::map<std::string, KeyEntry> keys;
  std::map<std::string, AppEntry> apps;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const auto day = store::integer(r, i, "day").value_or(-1);
    if (day < 0 || day >= days) continue;
    const auto d = static_cast<std::size_t>(day);
    const auto count = [&](const char* c) { return store::integer(r, i, c).value_or(0); };
    const auto add = [&](Series& s) {
      s.reveals[d] += count("reveals");
      s.proxy[d] += count("proxy");
      s.denials[d] += count("denials");
      s.tool_calls[d] += count("tool_calls");
      s.total += count("reveals") + count("proxy") + count("denials") + count("tool_calls");
    };
    if (auto key_id = store::text(r, i, "key_id")) {
      auto [it, fresh] = keys.try_emplace(*key_id, KeyEntry{*key_id, "", Series(n)});
      if (fresh) it->second.label = store::text_or_empty(r, i, "key_name");
      add(it->second.series);
    }
    auto [it, fresh] =
        apps.try_emplace(store::text_or_empty(r, i, "app"), AppEntry{{}, "", Series(n)});
    if (fresh) {
      it->second.client_id = store::text(r, i, "client_id");
      it->second.label = store::text_or_empty(r, i, "client");
    }
    add(it->second.series);
  }

  std::vector<KeyEntry> key_list;
  key_list.reserve(keys.size());
  for (auto& [id, e] : keys) key_list.push_back(std::move(e));
  sort_busiest_first(key_list);
  std::vector<AppEntry> app_list;
  app_list.reserve(apps.size());
  for (auto& [id, e] : apps) app_list.push_back(std::move(e));
  sort_busiest_first(app_list);

  bj::array day_names;
  for (std::int64_t i = 0; i < days; ++i) {
    day_names.emplace_back(util::iso8601(*window.from_ms + i * util::kMsPerDay).substr(0, 10));
  }
  bj::array by_key;
  for (const auto& k : key_list) {
    by_key.push_back(bj::object{{"key_id", k.key_id},
                                {"key_name", k.label},
                                {"reveals", to_json(k.series.reveals)},
                                {"proxy", to_json(k.series.proxy)},
                                {"denials", to_json(k.series.denials)}});
  }
  bj::array by_app;
  for (const auto& a : app_list) {
    by_app.push_back(
        bj::object{{"client_id", a.client_id ? bj::value(*a.client_id) : bj::value(nullptr)},
                   {"client", a.label},
                   {"reveals", to_json(a.series.reveals)},
                   {"proxy", to_json(a.series.proxy)},
                   {"denials", to_json(a.series.denials)},
                   {"tool_calls", to_json(a.series.tool_calls)}});
  }
  co_return http::json(200, bj::object{{"from", util::iso8601(*window.from_ms)},
                                       {"to", util::iso8601(*window.to_ms)},
                                       {"days", std::move(day_names)},
                                       {"by_key", std::move(by_key)},
                                       {"by_app", std::move(by_app)}});
}

}  // namespace ve::vault
