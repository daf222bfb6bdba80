// Per-request context handed to every route handler.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "worker/async/io.hpp"
#include "worker/auth/principal.hpp"
#include "worker/config/config.hpp"
#include "worker/http/message.hpp"

namespace ve::api {

struct Ctx {
  const config::Config& config;
  async::Io& io;
  const http::Request& req;
  std::vector<std::string> params;  ///< percent-decoded `:name` / `*` segments of the route
  std::int64_t started_ms = 0;      ///< request start, ms since epoch
  auth::Principal principal;        ///< set by the router for routes that require one
  std::string route;                ///< the matched route pattern, for logs and audit
};

}  // namespace ve::api
