// Preconditions checked inside a D1 batch (migrations/0003_vault.sql,
// `batch_guard`). A guard statement aborts its whole batch when its condition
// holds, so a change that raced with another one commits nothing instead of
// half of itself; the failed batch's error is mapped back to a 404/409 here.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/async/effect.hpp"
#include "worker/result.hpp"

namespace ve::vault {

/// Why a guarded batch was refused (one CHECK constraint each in batch_guard).
enum class Guard {
  name_taken,   ///< the name is another key's name or alias → 409
  key_changed,  ///< the key changed since it was read (a concurrent change won) → 409
  key_missing,  ///< the key is gone (deleted meanwhile) → 404
  state,        ///< already paused / not paused → 409
};

/// `INSERT INTO batch_guard (reason) SELECT '<reason>' WHERE <abort_when>`:
/// aborts the batch when the SQL condition `abort_when` (with `params`, numbered
/// from ?1) is true, and does nothing otherwise.
async::Statement abort_if(Guard reason, std::string_view abort_when,
                          std::vector<async::SqlValue> params);

/// The guard that aborted a batch, read from the batch's error (nullopt when
/// the batch failed for another reason, e.g. D1 being unavailable).
std::optional<Guard> tripped_guard(const Error& batch_error);

/// True when a batch failed on a UNIQUE or PRIMARY KEY constraint (a racing
/// insert of the same key name or alias).
bool unique_violation(const Error& batch_error);

/// The 404/409 for a tripped guard. `key_label` names the key (e.g. "key 'X'"),
/// `name` the name a create or rename asked for.
Error guard_error(Guard g, std::string_view key_label, std::string_view name = "");

/// The error to answer for a failed guarded batch: the guard's 404/409, a 409
/// for a unique violation (a racing insert of the same name), else `batch_error`
/// itself (e.g. 503 when D1 is unavailable).
Error batch_failure(const Error& batch_error, std::string_view key_label,
                    std::string_view name = "");

/// True when the batch surely rolled back (a guard or constraint refused it), as
/// opposed to a failure that may have happened after the commit (a lost reply).
/// Only then may a caller delete the blob it wrote for that batch.
bool surely_rolled_back(const Error& batch_error);

}  // namespace ve::vault
