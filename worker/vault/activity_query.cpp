#include "worker/vault/activity_query.hpp"

#include <array>

#include "worker/util/number.hpp"
#include "worker/util/time.hpp"

namespace ve::vault {

namespace {

constexpr std::size_t kMaxFilterBytes = 128;

constexpr std::array<std::string_view, 5> kActorKinds = {"session", "master", "scoped", "oauth",
                                                         "system"};

Error bad_param(std::string_view name, std::string_view expected) {
  return bad_request("query '" + std::string(name) + "' must be " + std::string(expected));
}

/// The text filter `name`, when present: 1-128 bytes.
Result<std::optional<std::string>> text_param(const std::map<std::string, std::string>& q,
                                              std::string_view name) {
  auto it = q.find(std::string(name));
  if (it == q.end()) return std::optional<std::string>();
  if (it->second.empty() || it->second.size() > kMaxFilterBytes) {
    return bad_param(name, "1-128 characters");
  }
  return std::optional<std::string>(it->second);
}

/// A non-negative log id in [0, 2^53 - 1] (0 lets a poller start from nothing).
Result<std::optional<std::int64_t>> id_param(const std::map<std::string, std::string>& q,
                                             std::string_view name) {
  auto it = q.find(std::string(name));
  if (it == q.end()) return std::optional<std::int64_t>();
  if (it->second == "0") return std::optional<std::int64_t>(0);
  auto v = parse_positive(it->second, kMaxSafeInteger);
  if (!v)
    return bad_param(name, "a log id (a whole number, e.g. the latest_id of an earlier answer)");
  return std::optional<std::int64_t>(*v);
}

/// An ISO 8601 UTC time, or a UTC date meaning its midnight.
Result<std::optional<std::int64_t>> time_param(const std::map<std::string, std::string>& q,
                                               std::string_view name) {
  auto it = q.find(std::string(name));
  if (it == q.end()) return std::optional<std::int64_t>();
  const std::string& s = it->second;
  auto ms = s.size() == 10 ? util::parse_iso8601(s + "T00:00:00Z") : util::parse_iso8601(s);
  if (!ms) {
    return bad_param(name,
                     "an ISO 8601 UTC time such as 2026-11-03T10:00:00Z, or a date such as "
                     "2026-11-03");
  }
  return std::optional<std::int64_t>(*ms);
}

Result<std::optional<StatusFilter>> status_param(const std::map<std::string, std::string>& q) {
  auto it = q.find("status");
  if (it == q.end()) return std::optional<StatusFilter>();
  const std::string& s = it->second;
  using K = StatusFilter::Kind;
  if (s == "ok") return std::optional<StatusFilter>(StatusFilter{K::ok, 0});
  if (s == "denied") return std::optional<StatusFilter>(StatusFilter{K::denied, 0});
  if (s == "error") return std::optional<StatusFilter>(StatusFilter{K::error, 0});
  auto code = s.size() == 3 ? parse_positive(s, 599) : std::nullopt;
  if (!code || *code < 100) {
    return bad_param("status", "ok, denied, error or an HTTP status code such as 403");
  }
  return std::optional<StatusFilter>(StatusFilter{K::exact, *code});
}

}  // namespace

std::optional<std::int64_t> parse_positive(std::string_view s, std::int64_t max) {
  auto v = util::parse_int64(s);
  if (!v || *v < 1 || *v > max) return std::nullopt;
  return v;
}

Result<ActivityFilter> parse_filter(const std::map<std::string, std::string>& q) {
  ActivityFilter f;
  // Text filters, in the order the parameters are documented.
  const std::array<std::pair<std::string_view, std::optional<std::string>*>, 6> texts = {{
      {"key_id", &f.key_id},
      {"token_id", &f.token_id},
      {"device_id", &f.device_id},
      {"client_id", &f.client_id},
      {"grant_id", &f.grant_id},
      {"action", &f.action},
  }};
  for (const auto& [name, slot] : texts) {
    auto v = text_param(q, name);
    if (!v.ok()) return v.error();
    *slot = std::move(v.value());
  }
  auto status = status_param(q);
  if (!status.ok()) return status.error();
  f.status = status.value();

  auto kind = text_param(q, "actor_kind");
  if (!kind.ok()) return kind.error();
  if (kind.value()) {
    bool known = false;
    for (auto k : kActorKinds) known = known || k == *kind.value();
    if (!known) return bad_param("actor_kind", "one of session, master, scoped, oauth, system");
    f.actor_kind = kind.value();
  }

  auto from = time_param(q, "from");
  if (!from.ok()) return from.error();
  auto to = time_param(q, "to");
  if (!to.ok()) return to.error();
  f.from_ms = from.value();
  f.to_ms = to.value();
  if (f.from_ms && f.to_ms && *f.from_ms >= *f.to_ms) {
    return bad_request("query 'from' must be before 'to' (from is inclusive, to exclusive)");
  }

  auto since = id_param(q, "since");
  if (!since.ok()) return since.error();
  auto before = id_param(q, "before");
  if (!before.ok()) return before.error();
  f.since = since.value();
  f.before = before.value();
  if (f.before && *f.before == 0) return bad_param("before", "a log id of 1 or more");
  return f;
}

std::string ActivitySql::bind(async::SqlValue value) {
  params.push_back(std::move(value));
  return "?" + std::to_string(params.size());
}

const char* const kLogColumns =
    "a.id AS id, a.created_at AS created_at, a.actor_kind AS actor_kind, a.actor_id AS "
    "actor_id, a.action AS action, a.key_id AS key_id, a.key_name AS key_name, a.token_id AS "
    "token_id, a.client AS client, a.source_ip AS source_ip, a.country AS country, a.status AS "
    "status, a.latency_ms AS latency_ms, a.detail AS detail, k.provider AS provider";

ActivitySql filtered_from(const std::string& user_id, const ActivityFilter& f) {
  ActivitySql q;
  q.sql =
      " FROM audit_log a LEFT JOIN keys k ON k.id = a.key_id AND k.user_id = a.user_id "
      "WHERE a.user_id = " +
      q.bind(user_id);
  // A full id or a short id (its prefix, as `apilocker activity --key` allows);
  // for keys also a key name as it was when the row was written.
  if (f.key_id) {
    const auto p = q.bind(*f.key_id);
    q.sql += " AND (substr(a.key_id, 1, length(" + p + ")) = " + p + " OR a.key_name = " + p + ")";
  }
  if (f.token_id) {
    const auto p = q.bind(*f.token_id);
    q.sql += " AND substr(a.token_id, 1, length(" + p + ")) = " + p;
  }
  if (f.device_id) q.sql += " AND a.actor_kind = 'master' AND a.actor_id = " + q.bind(*f.device_id);
  if (f.client_id) q.sql += " AND a.actor_kind = 'oauth' AND a.actor_id = " + q.bind(*f.client_id);
  if (f.grant_id) q.sql += " AND a.actor_kind = 'oauth' AND a.token_id = " + q.bind(*f.grant_id);
  if (f.action) {
    if (f.action->back() == '.') {
      const auto p = q.bind(*f.action);
      q.sql += " AND substr(a.action, 1, length(" + p + ")) = " + p;
    } else {
      q.sql += " AND a.action = " + q.bind(*f.action);
    }
  }
  if (f.status) {
    using K = StatusFilter::Kind;
    switch (f.status->kind) {
      case K::ok:
        q.sql += " AND a.status < 400";
        break;
      case K::denied:
        q.sql += " AND a.status IN (401, 403, 423, 429)";
        break;
      case K::error:
        q.sql += " AND a.status >= 400";
        break;
      case K::exact:
        q.sql += " AND a.status = " + q.bind(f.status->code);
        break;
    }
  }
  if (f.actor_kind) q.sql += " AND a.actor_kind = " + q.bind(*f.actor_kind);
  if (f.from_ms) q.sql += " AND a.created_at >= " + q.bind(*f.from_ms);
  if (f.to_ms) q.sql += " AND a.created_at < " + q.bind(*f.to_ms);
  if (f.since) q.sql += " AND a.id > " + q.bind(*f.since);
  if (f.before) q.sql += " AND a.id < " + q.bind(*f.before);
  return q;
}

}  // namespace ve::vault
