#include "worker/crypto/fingerprint.hpp"

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/sha256.hpp"
#include "worker/crypto/wipe.hpp"

namespace ve::crypto {
namespace {

std::string_view as_chars(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string fingerprint_with_kek(const Kek& kek, std::string_view value) {
  std::array<std::uint8_t, 32> key = derive_fingerprint_key(kek);
  std::string hex = fingerprint_hex(key, value);
  secure_wipe_object(key);
  return hex;
}

}  // namespace

std::array<std::uint8_t, 32> derive_fingerprint_key(const Kek& kek) noexcept {
  return hmac_sha256(as_chars(kek.key), kFingerprintKeyLabel);
}

std::string fingerprint_hex(std::span<const std::uint8_t, 32> key, std::string_view value) {
  return hex_encode(hmac_sha256(as_chars(key), value));
}

Fingerprint fingerprint(const Keyring& ring, std::string_view value) {
  const Kek& kek = ring.active();
  return Fingerprint{kek.kid, fingerprint_with_kek(kek, value)};
}

std::optional<std::string> fingerprint_hex_for_kid(const Keyring& ring, std::string_view kid,
                                                   std::string_view value) {
  const Kek* kek = ring.find(kid);
  if (kek == nullptr) return std::nullopt;
  return fingerprint_with_kek(*kek, value);
}

}  // namespace ve::crypto
