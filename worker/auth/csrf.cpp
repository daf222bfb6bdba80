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

bool same_origin(const http::Request& req) {
  if (auto origin = req.header("origin")) return *origin == req.origin;
  auto site = req.header("sec-fetch-site");
  return site && *site == "same-origin";
}

}  // namespace ve::auth
