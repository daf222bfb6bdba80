// Wall-clock time (WASI clock_time_get on wasm, backed by Date.now()).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ve::util {

/// Milliseconds since the Unix epoch, UTC.
std::int64_t now_ms();
/// ISO 8601 with milliseconds and `Z`, e.g. "2026-11-22T19:17:41.123Z".
std::string iso8601(std::int64_t epoch_ms);
/// Milliseconds since the epoch of an ISO 8601 UTC time in the form iso8601
/// writes ("2026-11-22T19:17:41.123Z"; the fraction is optional, 1-9 digits,
/// truncated to ms); nullopt for anything else (other offsets, no `Z`, bad
/// fields).
std::optional<std::int64_t> parse_iso8601(std::string_view s);

inline constexpr std::int64_t kMsPerDay = 86'400'000;

}  // namespace ve::util
