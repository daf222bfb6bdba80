// Hex and base64 codecs for binary strings.
//
// Plain, small code on purpose: BearSSL has no public base64 API (its PEM codec is
// internal and line-oriented). These codecs are not constant-time (they branch on
// the data); they see key material only when VAULT_KEYS is parsed at start-up.
//
// Byte strings are carried in std::string (any byte value, including NUL). Every
// encoder has two overloads: std::string_view (bytes in a string) and
// std::span<const uint8_t> (e.g. a std::array digest).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ve::crypto {

/// Lowercase hex, two characters per byte. "\x01\xab" -> "01ab".
[[nodiscard]] std::string hex_encode(std::string_view bytes);
[[nodiscard]] std::string hex_encode(std::span<const std::uint8_t> bytes);

/// Decodes hex (upper- or lowercase digits). Returns std::nullopt on an odd length or
/// any character outside [0-9a-fA-F] (no whitespace, no "0x" prefix).
[[nodiscard]] std::optional<std::string> hex_decode(std::string_view hex);

/// Standard base64 (RFC 4648 §4, alphabet A-Z a-z 0-9 + /), with '=' padding.
[[nodiscard]] std::string base64_encode(std::string_view bytes);
[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);

/// Decodes standard base64. Padding is optional, but if present it must be exactly
/// right (total length a multiple of 4). Rejects (std::nullopt): characters outside
/// the alphabet (including whitespace and the URL-safe '-' '_'), a length that is
/// 1 mod 4 once padding is removed, misplaced '=', and non-canonical encodings whose
/// unused trailing bits are not zero (so each byte string has one accepted text).
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

/// base64url (RFC 4648 §5, alphabet A-Z a-z 0-9 - _), without padding.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);

/// Decodes base64url; same rules as base64_decode (padding optional but exact if
/// present; canonical trailing bits) with the URL-safe alphabet.
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ve::crypto
