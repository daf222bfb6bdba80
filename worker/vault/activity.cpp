// GET /v1/activity?limit=&key_id=&token_id=&before= → {logs: [...]}, newest
// first: the caller's audit rows (metadata only: never values or bodies).
//
// Each log carries the audit row (id, created_at, action, key_id, key_name,
// token_id, actor_kind, actor_id, client, source_ip, country, status,
// latency_ms, detail) and the names `apilocker activity` / `doctor` print:
// `timestamp` (= created_at), `status_code` (= status), `provider` (of the key,
// while it exists) and `forward_path` (the upstream path of a proxy call; for
// other actions a short summary such as "key.reveal OPENAI_API_KEY", so the
// CLI's PATH column says what happened).
#include <boost/json.hpp>
#include <charconv>
#include <cstdint>
#include <optional>

#include "worker/http/reply.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;
constexpr std::size_t kMaxFilterBytes = 128;
/// 2^53 - 1: the largest integer D1 binds exactly.
constexpr std::int64_t kMaxSafeInteger = 9007199254740991;

/// A positive decimal integer in [1, max], or nullopt.
std::optional<std::int64_t> parse_positive(std::string_view s, std::int64_t max) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 1 || v > max) {
    return std::nullopt;
  }
  return v;
}

bj::value text_or_null(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return bj::string(*s);
}

bj::value int_or_null(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

bj::object log_json(const async::Rows& rows, std::size_t i) {
  bj::object o;
  const auto created = store::integer(rows, i, "created_at").value_or(0);
  const auto action = store::text_or_empty(rows, i, "action");
  const auto key_name = store::text(rows, i, "key_name");
  const auto detail = store::text(rows, i, "detail");
  const auto status = store::integer(rows, i, "status");
  o["id"] = store::integer(rows, i, "id").value_or(0);
  o["created_at"] = util::iso8601(created);
  o["timestamp"] = util::iso8601(created);
  o["action"] = action;
  o["key_id"] = text_or_null(store::text(rows, i, "key_id"));
  o["key_name"] = text_or_null(key_name);
  o["provider"] = text_or_null(store::text(rows, i, "provider"));
  o["token_id"] = text_or_null(store::text(rows, i, "token_id"));
  o["actor_kind"] = store::text_or_empty(rows, i, "actor_kind");
  o["actor_id"] = text_or_null(store::text(rows, i, "actor_id"));
  o["client"] = text_or_null(store::text(rows, i, "client"));
  o["source_ip"] = text_or_null(store::text(rows, i, "source_ip"));
  o["country"] = text_or_null(store::text(rows, i, "country"));
  o["status"] = int_or_null(status);
  o["status_code"] = int_or_null(status);
  o["latency_ms"] = int_or_null(store::integer(rows, i, "latency_ms"));
  o["detail"] = text_or_null(detail);
  if (action == "key.proxy") {  // detail: "METHOD host/path → status, N bytes"
    o["forward_path"] = text_or_null(detail);
  } else {
    o["forward_path"] = key_name ? action + " " + *key_name : action;
  }
  return o;
}

}  // namespace

async::Task<http::Response> list_activity(api::Ctx& ctx) {
  const auto& q = ctx.req.query;
  std::int64_t limit = kDefaultLimit;
  if (auto it = q.find("limit"); it != q.end()) {
    auto v = parse_positive(it->second, kMaxLimit);
    if (!v) co_return http::error(bad_request("query 'limit' must be an integer from 1 to 500"));
    limit = *v;
  }

  std::string sql =
      "SELECT a.id AS id, a.created_at AS created_at, a.actor_kind AS actor_kind, a.actor_id AS "
      "actor_id, a.action AS action, a.key_id AS key_id, a.key_name AS key_name, a.token_id AS "
      "token_id, a.client AS client, a.source_ip AS source_ip, a.country AS country, a.status AS "
      "status, a.latency_ms AS latency_ms, a.detail AS detail, k.provider AS provider "
      "FROM audit_log a LEFT JOIN keys k ON k.id = a.key_id AND k.user_id = a.user_id "
      "WHERE a.user_id = ?1";
  std::vector<async::SqlValue> params{ctx.principal.user_id};
  const auto filter = [&](const char* name, const std::string& column,
                          bool by_name) -> Result<void> {
    auto it = q.find(name);
    if (it == q.end()) return {};
    if (it->second.empty() || it->second.size() > kMaxFilterBytes) {
      return bad_request(std::string("query '") + name + "' must be 1-128 characters");
    }
    params.emplace_back(it->second);
    const std::string p = "?" + std::to_string(params.size());
    // A full id, a short id (its prefix, as `apilocker activity --key` allows),
    // or for keys also a key name.
    sql += " AND (substr(" + column + ", 1, length(" + p + ")) = " + p;
    if (by_name) sql += " OR a.key_name = " + p;
    sql += ")";
    return {};
  };
  if (auto r = filter("key_id", "a.key_id", true); !r.ok()) co_return http::error(r.error());
  if (auto r = filter("token_id", "a.token_id", false); !r.ok()) co_return http::error(r.error());
  if (auto it = q.find("before"); it != q.end()) {
    auto v = parse_positive(it->second, kMaxSafeInteger);
    if (!v) co_return http::error(bad_request("query 'before' must be a log id"));
    params.emplace_back(*v);
    sql += " AND a.id < ?" + std::to_string(params.size());
  }
  params.emplace_back(limit);
  sql += " ORDER BY a.id DESC LIMIT ?" + std::to_string(params.size());

  std::vector<async::Statement> batch;
  batch.push_back({std::move(sql), std::move(params)});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  bj::array logs;
  for (std::size_t i = 0; i < rows.value()[0].rows.size(); ++i) {
    logs.emplace_back(log_json(rows.value()[0], i));
  }
  co_return http::json(200, bj::object{{"logs", std::move(logs)}});
}

}  // namespace ve::vault
