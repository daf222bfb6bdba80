// Decimal integers in text the core reads (query parameters, vars, header
// fields): one parser, so every caller agrees on what counts as a number.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace ve::util {

/// The whole of `s` as a signed decimal 64-bit integer (std::from_chars
/// grammar: an optional '-', then digits; no '+', no spaces, no fraction);
/// nullopt when `s` is empty, has anything else or overflows. Range checks are
/// the caller's.
std::optional<std::int64_t> parse_int64(std::string_view s);

}  // namespace ve::util
