#include "worker/auth/pkce.hpp"

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/random.hpp"
#include "worker/crypto/sha256.hpp"

namespace ve::auth {

std::string pkce_verifier() {
  return crypto::random_token("");
}

std::string pkce_challenge(std::string_view verifier) {
  return crypto::base64url_encode(crypto::sha256(verifier));
}

}  // namespace ve::auth
