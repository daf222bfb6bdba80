#include "worker/auth/return_to.hpp"

namespace ve::auth {

Result<std::string> checked_return_to(std::string_view value) {
  if (value.empty()) return std::string(kDefaultReturnTo);
  const Error refused = bad_request(
      "return_to must be a path on this site, such as /device (no scheme, host or '//')",
      "invalid_return_to");
  if (value.size() > kMaxReturnTo) return refused;
  if (value.front() != '/') return refused;
  if (value.size() > 1 && (value[1] == '/' || value[1] == '\\')) return refused;
  for (unsigned char c : value) {
    if (c <= 0x20 || c == 0x7f || c == '\\') return refused;
  }
  return std::string(value);
}

}  // namespace ve::auth
