// Envelope encryption of secret values (docs/architecture.md, "Cryptography").
//
// Each sealed value gets a fresh random 256-bit data key (DEK). The value is
// sealed with AES-256-GCM under the DEK (random 96-bit nonce, AAD binding the
// value to user_id | key_id | version), and the DEK is wrapped with AES-256-GCM
// under the keyring's active KEK (its own random 96-bit nonce, AAD binding the kid
// and the same context). Rotating the KEK re-wraps DEKs (rewrap); value ciphertext
// is never touched.
//
// Blob format, version 1 (all integers big-endian; k = kid length):
//
//   offset   size     field
//   0        3        magic "VEB" (0x56 0x45 0x42)
//   3        1        format version = 0x01
//   4        1        k, the kid length, 1..32
//   5        k        kid, ASCII [A-Za-z0-9_-] (keyring.hpp)
//   5+k      12       wrap nonce
//   17+k     48       wrapped DEK = AES-256-GCM(KEK[kid], wrap nonce, dek_aad, DEK):
//                     32 bytes ciphertext || 16 bytes tag
//   65+k     12       value nonce
//   77+k     n+16     AES-256-GCM(DEK, value nonce, value_aad, plaintext):
//                     n bytes ciphertext || 16 bytes tag
//
//   Overhead: 93 + k bytes over the plaintext length n.
//
// AAD byte layouts (lp(x) = 4-byte big-endian length of x, then the bytes of x; the
// labels are ASCII without a terminator). Fixed label + length-prefixed fields make
// each encoding injective, so no two different contexts share an AAD:
//
//   value_aad = "vaultedge/envelope/v1/value" || lp(user_id) || lp(key_id) || lp(version)
//   dek_aad   = "vaultedge/envelope/v1/dek"   || lp(kid) || lp(user_id) || lp(key_id)
//                                              || lp(version)
//
// The value AAD does not contain the kid, which is what lets rewrap change the kid
// without re-encrypting the value. Moving a blob to another user, key or version,
// or editing any byte of it, makes open() fail; it never returns wrong plaintext.
//
// Error values and their messages never contain plaintext, keys or DEKs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "worker/crypto/keyring.hpp"

namespace ve::crypto::envelope {

inline constexpr std::uint8_t kFormatV1 = 0x01;

/// What a sealed value belongs to. All three are bound into the AADs byte for byte:
/// open() must get exactly the strings seal() got (e.g. always the same decimal
/// rendering of a version number). Views: they must outlive the call only.
struct Context {
  std::string_view user_id;
  std::string_view key_id;
  std::string_view version;
};

enum class Error {
  none = 0,
  rng_failure,         ///< the entropy source failed (seal, rewrap)
  malformed,           ///< not a v1 envelope: bad magic, truncated, bad kid field
  unsupported_format,  ///< right magic, unknown format version
  unknown_kid,         ///< the blob's kid is not in the keyring
  auth_failed,         ///< a GCM tag did not verify: tampered blob, wrong context,
                       ///< or a different key under the same kid
};

/// A short, log-safe description of an error ("envelope: unknown kid", ...).
[[nodiscard]] std::string_view error_message(Error e) noexcept;

/// `value` is set on success (the blob for seal/rewrap, the plaintext for open);
/// otherwise `error` says why.
struct Result {
  std::optional<std::string> value;
  Error error = Error::none;

  explicit operator bool() const noexcept { return value.has_value(); }
};

/// Seals `plaintext` (any length) for `ctx` under a fresh DEK wrapped by the active
/// KEK. Fails only with rng_failure.
[[nodiscard]] Result seal(const Keyring& ring, const Context& ctx, std::string_view plaintext);

/// Opens a blob sealed by seal() or rewrap() for the same `ctx`, with whichever KEK
/// of `ring` its kid names. The returned plaintext is a secret: keep it only as long
/// as needed and wipe it (wipe.hpp).
[[nodiscard]] Result open(const Keyring& ring, const Context& ctx, std::string_view blob);

/// Re-wraps the blob's DEK under the ring's active KEK (fresh wrap nonce). The value
/// nonce and value ciphertext||tag are copied byte for byte. The DEK is verified
/// (unwrapped, which authenticates kid and ctx) first; the value itself is not
/// decrypted. A blob already under the active kid is returned unchanged.
[[nodiscard]] Result rewrap(const Keyring& ring, const Context& ctx, std::string_view blob);

/// The fields of a v1 blob, as views into it (no cryptographic check done).
struct BlobView {
  std::uint8_t format = 0;
  std::string_view kid;
  std::string_view wrap_nonce;        ///< 12 bytes
  std::string_view wrapped_dek;       ///< 48 bytes
  std::string_view value_nonce;       ///< 12 bytes
  std::string_view value_ciphertext;  ///< n + 16 bytes (ciphertext || tag)
};

/// Splits a blob into its fields, or returns malformed / unsupported_format. Useful
/// to find blobs whose kid is not the active one (they need rewrap).
[[nodiscard]] std::optional<BlobView> parse_blob(std::string_view blob, Error* error = nullptr);

/// The AAD byte strings defined above (exposed for tests and documentation).
[[nodiscard]] std::string value_aad(const Context& ctx);
[[nodiscard]] std::string dek_aad(std::string_view kid, const Context& ctx);

}  // namespace ve::crypto::envelope
