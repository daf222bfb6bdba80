// The short code a person compares and types during device registration
// (RFC 8628 §6.1): 8 letters from a 20-consonant alphabet with no vowels (no
// words) and no look-alikes (no 0/O, 1/I/L confusion), shown as XXXX-XXXX.
// 20^8 ≈ 2^34.6 codes; a code lives 10 minutes and is only useful to someone
// who is signed in, and the device_code itself is the 256-bit credential.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ve::auth {

inline constexpr std::string_view kUserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ";

/// A fresh random code "XXXX-XXXX" (uniform over the alphabet by rejection
/// sampling); "" if randomness failed.
std::string new_user_code();

/// The canonical "XXXX-XXXX" form of what a person typed: case, spaces and
/// dashes are ignored. nullopt when it is not 8 letters of the alphabet.
std::optional<std::string> normalize_user_code(std::string_view typed);

}  // namespace ve::auth
