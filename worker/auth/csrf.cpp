#include "worker/auth/csrf.hpp"

#include "worker/auth/authenticate.hpp"
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

bool csrf_header_valid(const http::Request& req) {
  auto presented = req.header(kCsrfHeader);
  return presented && csrf_valid(cookie(req, kSessionCookie).value_or(""), *presented);
}

Error csrf_required() {
  return {403, "csrf_required",
          "this request needs the X-CSRF-Token header of the signed-in page; reload the dashboard "
          "and try again"};
}

}  // namespace ve::auth
