// MCP "Logging" (server/utilities/logging): the eight RFC 5424 levels and the
// per-principal minimum level. We are stateless, so the level a 2025-revision
// client sets with logging/setLevel is kept in D1 (table mcp_log_levels,
// migrations/0004_mcp.sql), keyed by user, actor kind and actor id; on
// 2026-07-28 the client names it per request in
// `_meta["io.modelcontextprotocol/logLevel"]`.
#pragma once
#include <optional>
#include <string_view>

#include "worker/async/effect.hpp"
#include "worker/auth/principal.hpp"

namespace ve::mcp {

/// Severity of an RFC 5424 level name: emergency 0 … debug 7; -1 when `level`
/// is not one of the eight.
int log_severity(std::string_view level);

/// Notifier::min_level meaning "send no log notifications".
inline constexpr int kNoLogs = -1;
/// Notifier::min_level when the client never chose one (info and above).
inline constexpr int kDefaultLogLevel = 6;

/// UPSERT of the principal's level (a valid level name).
async::Statement save_log_level(const auth::Principal& p, std::string_view level);
/// SELECT of the principal's level: one row with column `level`, or none.
async::Statement load_log_level(const auth::Principal& p);
/// The min_level from load_log_level()'s rows (kDefaultLogLevel when none).
int min_level_from(const async::Rows& rows);

}  // namespace ve::mcp
