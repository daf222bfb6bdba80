#include "worker/crypto/aes_gcm.hpp"

#include <bearssl_aead.h>
#include <bearssl_block.h>
#include <bearssl_hash.h>

#include "worker/crypto/wipe.hpp"

namespace ve::crypto::aes_gcm {
namespace {

// AES-256 key schedule + GCM state; wiped on destruction.
struct Gcm {
  br_aes_ct64_ctr_keys aes;
  br_gcm_context gcm;

  Gcm(KeyView key, NonceView nonce, std::string_view aad) {
    br_aes_ct64_ctr_init(&aes, key.data(), key.size());
    br_gcm_init(&gcm, &aes.vtable, &br_ghash_ctmul64);
    br_gcm_reset(&gcm, nonce.data(), nonce.size());
    br_gcm_aad_inject(&gcm, aad.data(), aad.size());
    br_gcm_flip(&gcm);
  }
  ~Gcm() {
    secure_wipe_object(gcm);
    secure_wipe_object(aes);
  }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;
};

}  // namespace

std::string seal(KeyView key, NonceView nonce, std::string_view aad, std::string_view plaintext) {
  std::string out;
  out.reserve(plaintext.size() + kTagSize);
  out.assign(plaintext);
  out.resize(plaintext.size() + kTagSize);
  Gcm g(key, nonce, aad);
  br_gcm_run(&g.gcm, 1, out.data(), plaintext.size());
  br_gcm_get_tag(&g.gcm, out.data() + plaintext.size());
  return out;
}

std::optional<std::string> open(KeyView key, NonceView nonce, std::string_view aad,
                                std::string_view sealed) {
  if (sealed.size() < kTagSize) return std::nullopt;
  const std::size_t n = sealed.size() - kTagSize;
  std::string out(sealed.substr(0, n));
  Gcm g(key, nonce, aad);
  br_gcm_run(&g.gcm, 0, out.data(), n);
  if (br_gcm_check_tag(&g.gcm, sealed.data() + n) != 1) {
    secure_wipe(out);
    return std::nullopt;
  }
  return out;
}

}  // namespace ve::crypto::aes_gcm
