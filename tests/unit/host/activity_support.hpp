// Helpers for the activity route tests: audit rows seeded straight into SQLite
// with chosen actors, statuses and times, so each filter is tested against
// rows that differ in exactly what it looks at.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/host_runner.hpp"
#include "tests/unit/host/vault_fixture.hpp"

namespace ve::test {

/// One audit_log row to insert (user_id given separately).
struct AuditSeed {
  std::int64_t created_at = 1'800'000'000'000;
  std::string actor_kind = "master";
  std::optional<std::string> actor_id;
  std::string action = "key.reveal";
  std::optional<std::string> key_id;
  std::optional<std::string> key_name;
  std::optional<std::string> token_id;
  std::optional<std::string> client;
  int status = 200;
  std::optional<std::string> detail;
};

/// Inserts `row` for `user_id`; returns its id.
std::int64_t seed_audit(host::HostRunner& host, const std::string& user_id, const AuditSeed& row);

/// Deletes every audit row (the fixture's own key.create rows among them).
void clear_audit(host::HostRunner& host);

/// GET `path` as `user`; the ids of the answer's logs, in order (the test
/// fails when the status is not 200).
std::vector<std::int64_t> activity_ids(host::HostRunner& host, const VaultUser& user,
                                       const std::string& path);

}  // namespace ve::test
