// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104 / FIPS 198-1) on BearSSL
// (br_sha256_*, br_hmac_*; sources hash/sha2small.c and mac/hmac.c).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ve::crypto {

/// A 32-byte SHA-256 digest or HMAC-SHA256 tag.
using Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `data` (any bytes, any length).
[[nodiscard]] Digest sha256(std::string_view data) noexcept;

/// SHA-256 of `data` as 64 lowercase hex characters. This is how bearer credentials
/// are stored (docs/architecture.md: "stored only as a SHA-256 hash").
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// HMAC-SHA256(key, msg). `key` may have any length (keys longer than 64 bytes are
/// hashed first, per RFC 2104); the result is the full 32-byte tag.
[[nodiscard]] Digest hmac_sha256(std::string_view key, std::string_view msg) noexcept;

/// Constant-time equality of two byte strings: the running time depends only on the
/// lengths, never on where they differ. Different lengths compare unequal (the
/// lengths themselves are not secret for MACs and digests). Use it to compare a
/// computed MAC or hash with a presented one.
[[nodiscard]] bool equal_ct(std::string_view a, std::string_view b) noexcept;

}  // namespace ve::crypto
