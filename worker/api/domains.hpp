// The route lists of every domain, in match order (first match wins).
#pragma once
#include <array>
#include <vector>

#include "worker/api/route.hpp"

namespace ve::api {
std::vector<Route> system_routes();  // worker/api/system.cpp: health
}  // namespace ve::api

namespace ve::api {
inline constexpr std::array kDomains = {&system_routes};
}  // namespace ve::api
