// Seeding for the doctor tests (GET /v1/doctor and the MCP run_doctor tool):
// the doctor's findings depend only on how old keys, devices and tokens are,
// so the tests set those timestamps straight in SQLite, in days before now.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "host/host_runner.hpp"

namespace ve::test {

/// Columns to set and how many days before `now` each is, e.g.
/// {{"created_at", 200}, {"last_used_at", 1}}.
using DaysAgo = std::vector<std::pair<std::string, int>>;

/// Sets `days` (ms timestamps, `now` − days × 86 400 000) on the rows of `table`
/// that match `where` (an SQL condition such as "id = 'k_1'"); the test fails
/// when the statement does.
void set_days_ago(host::HostRunner& host, const std::string& table, const std::string& where,
                  std::int64_t now, const DaysAgo& days);

/// Inserts the device `id` called `name` for `user_id`, registered `created`
/// and last used `last_used` days before `now` (ms).
void add_device_days_ago(host::HostRunner& host, const std::string& user_id, const std::string& id,
                         const std::string& name, std::int64_t now, int created, int last_used);

}  // namespace ve::test
