// The route lists of every domain, in match order (first match wins).
#pragma once
#include <array>
#include <vector>

#include "worker/api/route.hpp"

namespace ve::api {
std::vector<Route> system_routes();  // worker/api/system.cpp: liveness
}  // namespace ve::api
namespace ve::auth {
std::vector<api::Route> routes();  // worker/auth/routes.cpp: sign-in, device flow, devices, me
}  // namespace ve::auth
namespace ve::vault {
std::vector<api::Route> routes();  // worker/vault/routes.cpp: keys, reveal, activity, providers
}  // namespace ve::vault
namespace ve::tokens {
std::vector<api::Route> routes();  // worker/tokens/routes.cpp: scoped tokens
}  // namespace ve::tokens
namespace ve::oauth {
std::vector<api::Route> routes();  // worker/oauth/routes.cpp: authorization server, grants
}  // namespace ve::oauth
namespace ve::mcp {
std::vector<api::Route> routes();  // worker/mcp/routes.cpp: POST /v1/mcp (Streamable HTTP)
}  // namespace ve::mcp
namespace ve::proxy {
std::vector<api::Route> routes();  // worker/proxy/routes.cpp: /v1/proxy/:keyId[/*]
}  // namespace ve::proxy
namespace ve::health {
std::vector<api::Route> routes();  // worker/health/routes.cpp: GET /v1/doctor
}  // namespace ve::health
namespace ve::account {
std::vector<api::Route> routes();  // worker/account/routes.cpp: sessions, account deletion
}  // namespace ve::account

namespace ve::api {
inline constexpr std::array kDomains = {&system_routes,  &auth::routes,    &vault::routes,
                                        &tokens::routes, &oauth::routes,   &mcp::routes,
                                        &proxy::routes,  &account::routes, &health::routes};
}  // namespace ve::api
