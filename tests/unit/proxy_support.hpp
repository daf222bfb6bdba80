// Shared by the proxy's pure unit tests (proxy_policy.cpp, proxy_scrub.cpp).
#pragma once
#include <string_view>

#include "worker/vault/providers.hpp"

namespace ve::test {

/// An injection rule with every field set (header, prefix, param, username).
inline vault::Auth rule(vault::AuthKind kind, std::string_view header = "",
                        std::string_view prefix = "", std::string_view param = "",
                        std::string_view username = "") {
  return vault::Auth{kind, header, prefix, param, username};
}

}  // namespace ve::test
