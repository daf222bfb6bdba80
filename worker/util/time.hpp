// Wall-clock time (WASI clock_time_get on wasm, backed by Date.now()).
#pragma once
#include <cstdint>
#include <string>

namespace ve::util {

/// Milliseconds since the Unix epoch, UTC.
std::int64_t now_ms();
/// ISO 8601 with milliseconds and `Z`, e.g. "2026-11-22T19:17:41.123Z".
std::string iso8601(std::int64_t epoch_ms);

}  // namespace ve::util
