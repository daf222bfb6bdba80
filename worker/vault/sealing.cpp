#include "worker/vault/sealing.hpp"

#include "worker/crypto/envelope.hpp"
#include "worker/crypto/fingerprint.hpp"

namespace ve::vault {

std::string blob_key(std::string_view user_id, std::string_view key_id, std::int64_t version) {
  std::string k = "blob/";
  k.append(user_id).append("/").append(key_id).append("/").append(std::to_string(version));
  return k;
}

Result<Sealed> seal_value(const crypto::Keyring& ring, std::string_view user_id,
                          std::string_view key_id, std::int64_t version,
                          std::string_view plaintext) {
  const std::string v = std::to_string(version);
  auto sealed = crypto::envelope::seal(ring, {user_id, key_id, v}, plaintext);
  if (!sealed) {
    return Error{500, "internal", std::string(crypto::envelope::error_message(sealed.error))};
  }
  auto fp = crypto::fingerprint(ring, plaintext);
  return Sealed{std::move(*sealed.value), ring.active().kid, std::move(fp.hex)};
}

Result<std::string> open_value(const crypto::Keyring& ring, std::string_view user_id,
                               std::string_view key_id, std::int64_t version,
                               std::string_view blob) {
  const std::string v = std::to_string(version);
  auto opened = crypto::envelope::open(ring, {user_id, key_id, v}, blob);
  if (!opened) {
    return Error{500, "sealed_value_unreadable",
                 "the stored value of key " + std::string(key_id) + " (version " + v +
                     ") could not be decrypted: " +
                     std::string(crypto::envelope::error_message(opened.error))};
  }
  return std::move(*opened.value);
}

}  // namespace ve::vault
