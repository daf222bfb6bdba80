#include "worker/auth/csrf.hpp"

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/sha256.hpp"

namespace ve::auth {

std::string csrf_token(std::string_view secret) {
  if (secret.empty()) return {};
  return crypto::base64url_encode(crypto::hmac_sha256(secret, "csrf"));
}

bool csrf_valid(std::string_view secret, std::string_view presented) {
  if (secret.empty() || presented.empty()) return false;
  return crypto::equal_ct(csrf_token(secret), presented);
}

}  // namespace ve::auth
