// Where a key version's ciphertext lives in KV and how it is sealed and opened
// (envelope encryption, worker/crypto/envelope.hpp; keyed fingerprint,
// worker/crypto/fingerprint.hpp). The envelope's AAD binds every blob to
// (user_id, key_id, decimal version), so a blob moved to another user, key or
// version does not open.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "worker/crypto/keyring.hpp"
#include "worker/result.hpp"

namespace ve::vault {

/// KV name of a version's blob: `blob/{user_id}/{key_id}/{version}`. Written
/// once, never overwritten (docs/architecture.md "Storage and consistency").
std::string blob_key(std::string_view user_id, std::string_view key_id, std::int64_t version);

/// A sealed version, ready for KV and key_versions.
struct Sealed {
  std::string blob;         ///< the envelope (binary)
  std::string kid;          ///< KEK that wraps the DEK (also keys the fingerprint)
  std::string fingerprint;  ///< hex HMAC-SHA256 of the plaintext under a key derived from kid
};

/// Seals `plaintext` for (user, key, version) under the keyring's active KEK.
/// Errors (500) only when the entropy source fails.
Result<Sealed> seal_value(const crypto::Keyring& ring, std::string_view user_id,
                          std::string_view key_id, std::int64_t version,
                          std::string_view plaintext);

/// Opens a blob of (user, key, version). The plaintext is a secret: wipe it
/// when done. Errors (500, code `sealed_value_unreadable`) name the key id and
/// why (unknown kid, failed integrity check), never any byte of the blob.
Result<std::string> open_value(const crypto::Keyring& ring, std::string_view user_id,
                               std::string_view key_id, std::int64_t version,
                               std::string_view blob);

}  // namespace ve::vault
