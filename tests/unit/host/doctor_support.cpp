#include "tests/unit/host/doctor_support.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "worker/util/time.hpp"

namespace ve::test {

namespace {

std::string days_before(std::int64_t now, int days) {
  return std::to_string(now - days * util::kMsPerDay);
}

void run_sql(host::HostRunner& host, const std::string& sql) {
  INFO(sql);
  REQUIRE(sqlite3_exec(host.db(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

void set_days_ago(host::HostRunner& host, const std::string& table, const std::string& where,
                  std::int64_t now, const DaysAgo& days) {
  REQUIRE_FALSE(days.empty());
  std::string sql = "UPDATE " + table + " SET ";
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += days[i].first + " = " + days_before(now, days[i].second);
  }
  run_sql(host, sql + " WHERE " + where);
  REQUIRE(sqlite3_changes(host.db()) > 0);  // a typo in `where` must not pass silently
}

void add_device_days_ago(host::HostRunner& host, const std::string& user_id, const std::string& id,
                         const std::string& name, std::int64_t now, int created, int last_used) {
  run_sql(host, "INSERT INTO devices (id, user_id, name, created_at, last_used_at) VALUES ('" + id +
                    "', '" + user_id + "', '" + name + "', " + days_before(now, created) + ", " +
                    days_before(now, last_used) + ")");
}

}  // namespace ve::test
