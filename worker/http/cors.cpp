#include "worker/http/cors.hpp"

#include <algorithm>
#include <string>

namespace ve::http {

void allow_any_origin(Response& response) {
  response.headers.emplace_back("access-control-allow-origin", "*");
  response.headers.emplace_back("access-control-expose-headers", "WWW-Authenticate, Retry-After");
}

Response cors_preflight(const std::vector<std::string_view>& methods) {
  std::vector<std::string_view> distinct;
  std::string allowed;
  for (auto m : methods) {
    if (std::find(distinct.begin(), distinct.end(), m) != distinct.end()) continue;
    distinct.push_back(m);
    allowed += (allowed.empty() ? "" : ", ") + std::string(m);
  }
  Response r;
  r.status = 204;
  r.headers = {
      {"access-control-allow-origin", "*"},
      {"access-control-allow-methods", allowed},
      {"access-control-allow-headers", "Authorization, Content-Type, MCP-Protocol-Version"},
      {"access-control-max-age", "86400"}};
  return r;
}

}  // namespace ve::http
