// The key-encryption-key (KEK) ring from the Worker secret VAULT_KEYS
// (docs/architecture.md, "Cryptography").
//
// Format:   VAULT_KEYS = kid ":" key64 *( "," kid ":" key64 )
//   kid     1..32 characters of [A-Za-z0-9_-], unique within the ring
//   key64   exactly 32 bytes (AES-256) in base64: standard alphabet, or base64url;
//           '=' padding optional (e.g. the output of `openssl rand -base64 32`)
// ASCII whitespace around the whole value and around each entry, kid and key is
// ignored (secrets piped through `echo` end in a newline). The FIRST entry is the
// active KEK: new envelopes are wrapped under it; the others only unwrap older
// envelopes until those are rewrapped (envelope.hpp, rewrap).
//
// Parse errors carry a code and a message that names the offending entry by its
// 1-based position only: no kid, no key bytes, no fragment of the input (so even a
// swapped "key:kid" entry cannot leak a key into a log).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ve::crypto {

/// One key-encryption key.
struct Kek {
  std::string kid;                   ///< key id, recorded in every envelope
  std::array<std::uint8_t, 32> key;  ///< AES-256 key
};

enum class KeyringError {
  none = 0,
  empty,            ///< VAULT_KEYS is unset, empty or only whitespace
  malformed_entry,  ///< an entry is empty or lacks the ':' separator
  bad_kid,          ///< kid empty, longer than 32, or outside [A-Za-z0-9_-]
  duplicate_kid,    ///< the same kid appears twice
  bad_base64,       ///< the key is not valid base64 / base64url
  bad_key_length,   ///< the key does not decode to exactly 32 bytes
};

struct KeyringParseResult;

/// An immutable, non-empty set of KEKs. Move-only; key bytes are wiped when the
/// ring is destroyed. A moved-from ring is empty and must not be used.
class Keyring {
 public:
  /// Parses VAULT_KEYS (format above). Never fails silently, never logs.
  [[nodiscard]] static KeyringParseResult parse(std::string_view vault_keys);

  Keyring(Keyring&&) noexcept = default;
  Keyring& operator=(Keyring&&) noexcept;
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;
  ~Keyring();

  /// The active KEK (the first entry of VAULT_KEYS).
  [[nodiscard]] const Kek& active() const noexcept { return keys_.front(); }

  /// The KEK with this kid, or nullptr if the ring has none.
  [[nodiscard]] const Kek* find(std::string_view kid) const noexcept;

  /// Number of KEKs (>= 1).
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }

  /// All KEKs in VAULT_KEYS order (active first).
  [[nodiscard]] const std::vector<Kek>& keys() const noexcept { return keys_; }

 private:
  Keyring() = default;
  void wipe() noexcept;
  std::vector<Kek> keys_;
};

/// Result of Keyring::parse: `keyring` is set on success; otherwise `error` and
/// `message` say what is wrong (message safe to log and to show: no key material).
struct KeyringParseResult {
  std::optional<Keyring> keyring;
  KeyringError error = KeyringError::none;
  std::string message;

  explicit operator bool() const noexcept { return keyring.has_value(); }
};

/// True if `kid` is 1..32 characters of [A-Za-z0-9_-].
[[nodiscard]] bool is_valid_kid(std::string_view kid) noexcept;

}  // namespace ve::crypto
