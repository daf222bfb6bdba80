#include "worker/crypto/sha256.hpp"

#include <bearssl_hash.h>
#include <bearssl_hmac.h>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/wipe.hpp"

namespace ve::crypto {

Digest sha256(std::string_view data) noexcept {
  br_sha256_context ctx;
  br_sha256_init(&ctx);
  br_sha256_update(&ctx, data.data(), data.size());
  Digest out;
  br_sha256_out(&ctx, out.data());
  secure_wipe_object(ctx);  // the state may hold a buffered tail of secret input
  return out;
}

std::string sha256_hex(std::string_view data) {
  Digest d = sha256(data);
  return hex_encode(d);
}

Digest hmac_sha256(std::string_view key, std::string_view msg) noexcept {
  br_hmac_key_context kc;
  br_hmac_key_init(&kc, &br_sha256_vtable, key.data(), key.size());
  br_hmac_context ctx;
  br_hmac_init(&ctx, &kc, 0);  // 0 = natural output length (32 bytes)
  br_hmac_update(&ctx, msg.data(), msg.size());
  Digest out;
  br_hmac_out(&ctx, out.data());
  secure_wipe_object(ctx);
  secure_wipe_object(kc);
  return out;
}

bool equal_ct(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  volatile std::uint8_t acc = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    acc = acc | (std::uint8_t(a[i]) ^ std::uint8_t(b[i]));
  }
  return acc == 0;
}

}  // namespace ve::crypto
