#include "worker/auth/cookies.hpp"

namespace ve::auth {

std::string set_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s) {
  std::string c(name);
  c += '=';
  c += value;
  c += "; Path=/; Secure; HttpOnly; SameSite=Lax";
  if (max_age_s >= 0) c += "; Max-Age=" + std::to_string(max_age_s);
  return c;
}

std::string clear_cookie(std::string_view name) {
  return set_cookie(name, "", 0);
}

}  // namespace ve::auth
