// Keyed fingerprints of secret values, for leak and duplicate detection
// (docs/architecture.md: "a keyed fingerprint (HMAC-SHA256 under a separate key) of each
// value, never a plain hash").
//
//   fingerprint = lowercase hex( HMAC-SHA256(fingerprint_key, value) )   (64 chars)
//
// Choice of key: by default the fingerprint key is DERIVED from a KEK, so no extra
// Worker secret is needed, yet it is a separate key (never used to encrypt):
//
//   fingerprint_key(kek) = HMAC-SHA256(kek.key, "vaultedge/fingerprint-key/v1")
//
// Because it depends on the KEK, a stored fingerprint must be stored together with
// the kid it was computed under (Fingerprint::kid), and compared by recomputing
// under that kid (fingerprint_hex_for_kid). When a kid is retired from VAULT_KEYS,
// fingerprints under it can no longer be matched and should be recomputed the next
// time the value is in memory (e.g. on rotate or reveal). Callers that prefer a
// dedicated secret can pass any 32-byte key to fingerprint_hex(key, value).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "worker/crypto/keyring.hpp"

namespace ve::crypto {

/// HMAC label used to derive the fingerprint key from a KEK.
inline constexpr std::string_view kFingerprintKeyLabel = "vaultedge/fingerprint-key/v1";

/// A fingerprint and the kid whose derived key produced it.
struct Fingerprint {
  std::string kid;  ///< KEK id the fingerprint key was derived from
  std::string hex;  ///< 64 lowercase hex characters
};

/// Derives the 32-byte fingerprint key from a KEK (formula above).
[[nodiscard]] std::array<std::uint8_t, 32> derive_fingerprint_key(const Kek& kek) noexcept;

/// HMAC-SHA256(key, value) as 64 lowercase hex characters, with an explicit key.
[[nodiscard]] std::string fingerprint_hex(std::span<const std::uint8_t, 32> key,
                                          std::string_view value);

/// Fingerprint of `value` under the key derived from the ring's ACTIVE KEK.
[[nodiscard]] Fingerprint fingerprint(const Keyring& ring, std::string_view value);

/// Fingerprint of `value` under the key derived from the KEK `kid` (to compare with a
/// stored fingerprint), or std::nullopt if `kid` is not in the ring.
[[nodiscard]] std::optional<std::string> fingerprint_hex_for_kid(const Keyring& ring,
                                                                 std::string_view kid,
                                                                 std::string_view value);

}  // namespace ve::crypto
