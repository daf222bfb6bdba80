// AES-256-GCM (NIST SP 800-38D) on BearSSL: constant-time bitsliced AES
// (br_aes_ct64_ctr), constant-time GHASH (br_ghash_ctmul64) and the generic GCM
// driver (br_gcm_*). No hand-written cipher code.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ve::crypto::aes_gcm {

inline constexpr std::size_t kKeySize = 32;    ///< AES-256 key, bytes
inline constexpr std::size_t kNonceSize = 12;  ///< 96-bit IV, bytes (SP 800-38D §8.2)
inline constexpr std::size_t kTagSize = 16;    ///< full 128-bit tag, bytes

using Key = std::array<std::uint8_t, kKeySize>;
using Nonce = std::array<std::uint8_t, kNonceSize>;
using KeyView = std::span<const std::uint8_t, kKeySize>;
using NonceView = std::span<const std::uint8_t, kNonceSize>;

/// Encrypts and authenticates `plaintext` (any length, may be empty) with additional
/// authenticated data `aad` (any length, may be empty).
/// Returns ciphertext || tag: plaintext.size() + 16 bytes.
/// The caller must never reuse a (key, nonce) pair: with random 96-bit nonces keep
/// well under 2^32 messages per key (we use a fresh key per value; see envelope.hpp).
[[nodiscard]] std::string seal(KeyView key, NonceView nonce, std::string_view aad,
                               std::string_view plaintext);

/// Verifies and decrypts `sealed` = ciphertext || tag (as produced by seal) under the
/// same key, nonce and aad. Returns the plaintext, or std::nullopt if `sealed` is
/// shorter than the tag or the tag does not verify (wrong key, nonce or aad, or any
/// modified byte). The tag comparison is constant-time (br_gcm_check_tag), and on
/// failure the decrypted bytes are wiped and never returned.
[[nodiscard]] std::optional<std::string> open(KeyView key, NonceView nonce, std::string_view aad,
                                              std::string_view sealed);

}  // namespace ve::crypto::aes_gcm
