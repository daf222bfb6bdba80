// Conditional inserts, so every statement of a batch can depend on the same
// predicate evaluated inside the batch's transaction. That is how a batch is
// made "all or nothing" on a condition that another request may race on (two
// polls of one device code, a double-clicked Approve): each statement checks
// the condition, and the statement that invalidates it runs last.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "worker/async/effect.hpp"

namespace ve::auth {

/// Rewrites a single-row `INSERT INTO t (cols) VALUES (v1, …, vn)` whose
/// parameters are numbered explicitly (`?1 … ?n`, as audit::insert builds them)
/// into `INSERT INTO t (cols) SELECT v1, …, vn WHERE <condition>`: the row is
/// written only when `condition` holds. `condition` uses plain `?`
/// placeholders, bound in order to `params` (they are renumbered after the
/// insert's own). nullopt when `insert` does not have that shape — a
/// programming error, never input.
std::optional<async::Statement> insert_only_if(async::Statement insert, std::string_view condition,
                                               std::vector<async::SqlValue> params);

}  // namespace ve::auth
