// The audit-log query shared by GET /v1/activity, /v1/activity/export and
// /v1/activity/stats: query-string filters parsed once into ActivityFilter,
// then turned into SQL conditions keyed by the caller's user_id. Each handler
// adds only its own ordering, limit and columns.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "worker/async/effect.hpp"
#include "worker/result.hpp"

namespace ve::vault {

/// The largest integer D1 binds exactly (2^53 - 1).
inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;

/// The `status` filter: a class of outcomes or one exact HTTP status.
struct StatusFilter {
  enum class Kind { ok, denied, error, exact };
  Kind kind = Kind::exact;
  std::int64_t code = 0;  ///< for exact
};

/// Every optional filter of the activity routes (docs/rest.md "Activity").
/// Text filters hold the decoded query value (1-128 bytes).
struct ActivityFilter {
  std::optional<std::string> key_id;     ///< full id, id prefix, or key name
  std::optional<std::string> token_id;   ///< full id or id prefix
  std::optional<std::string> device_id;  ///< actor_kind master, actor_id = this
  std::optional<std::string> client_id;  ///< actor_kind oauth, actor_id = this
  std::optional<std::string> grant_id;   ///< actor_kind oauth, token_id = this
  std::optional<std::string> action;     ///< exact, or a prefix when it ends with '.'
  std::optional<StatusFilter> status;
  std::optional<std::string> actor_kind;  ///< session | master | scoped | oauth | system
  std::optional<std::int64_t> from_ms;    ///< created_at >= from (inclusive)
  std::optional<std::int64_t> to_ms;      ///< created_at < to (exclusive)
  std::optional<std::int64_t> since;      ///< id > since
  std::optional<std::int64_t> before;     ///< id < before
};

/// Parses the filters from decoded query parameters; unknown parameters are
/// ignored (as before). `from` / `to` take an ISO 8601 UTC time
/// ("2026-11-03T10:00:00Z", fraction optional) or a UTC date ("2026-11-03" =
/// its midnight). Error 400 `invalid_request` whose message names the
/// parameter and what it accepts; also when from is not before to.
Result<ActivityFilter> parse_filter(const std::map<std::string, std::string>& query);

/// A positive decimal integer in [1, max], or nullopt.
std::optional<std::int64_t> parse_positive(std::string_view s, std::int64_t max);

/// SQL text and parameters under construction; conditions refer to the audit
/// row as `a` and bind parameters in order (?1 is always the user id).
struct ActivitySql {
  std::string sql;
  std::vector<async::SqlValue> params;
  /// Appends `value` as the next parameter and returns its placeholder ("?N").
  std::string bind(async::SqlValue value);
};

/// `FROM audit_log a LEFT JOIN keys k … WHERE a.user_id = ?1 AND <filters>`
/// (k: the key of the row, for its provider) for `user_id`.
ActivitySql filtered_from(const std::string& user_id, const ActivityFilter& filter);

/// The columns log_json reads, to put after SELECT.
extern const char* const kLogColumns;

}  // namespace ve::vault
