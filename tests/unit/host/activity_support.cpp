#include "tests/unit/host/activity_support.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

namespace ve::test {

namespace {

void bind_text(sqlite3_stmt* st, int i, const std::optional<std::string>& v) {
  if (v) {
    sqlite3_bind_text(st, i, v->c_str(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(st, i);
  }
}

}  // namespace

std::int64_t seed_audit(host::HostRunner& host, const std::string& user_id, const AuditSeed& r) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(host.db(),
                             "INSERT INTO audit_log (user_id, created_at, actor_kind, actor_id, "
                             "action, key_id, key_name, token_id, client, source_ip, status, "
                             "latency_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "'127.0.0.1', ?, 3, ?)",
                             -1, &st, nullptr) == SQLITE_OK);
  bind_text(st, 1, user_id);
  sqlite3_bind_int64(st, 2, r.created_at);
  bind_text(st, 3, r.actor_kind);
  bind_text(st, 4, r.actor_id);
  bind_text(st, 5, r.action);
  bind_text(st, 6, r.key_id);
  bind_text(st, 7, r.key_name);
  bind_text(st, 8, r.token_id);
  bind_text(st, 9, r.client);
  sqlite3_bind_int(st, 10, r.status);
  bind_text(st, 11, r.detail);
  REQUIRE(sqlite3_step(st) == SQLITE_DONE);
  sqlite3_finalize(st);
  return sqlite3_last_insert_rowid(host.db());
}

void clear_audit(host::HostRunner& host) {
  REQUIRE(sqlite3_exec(host.db(), "DELETE FROM audit_log", nullptr, nullptr, nullptr) == SQLITE_OK);
}

std::vector<std::int64_t> activity_ids(host::HostRunner& host, const VaultUser& user,
                                       const std::string& path) {
  auto r = call(host, user, "GET", path);
  INFO(path << " → " << r.body);
  REQUIRE(r.status == 200);
  std::vector<std::int64_t> ids;
  const auto body = body_json(r);  // kept alive: the loop borrows from it
  for (const auto& log : body.at("logs").as_array()) ids.push_back(log.at("id").as_int64());
  return ids;
}

}  // namespace ve::test
