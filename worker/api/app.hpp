// The application entry point: routing, authentication, error mapping, the
// per-request log line.
#pragma once
#include "worker/async/driver.hpp"
#include "worker/config/config.hpp"
#include "worker/http/reply.hpp"

namespace ve::api {

/// The request handler for a Driver; `config` must outlive it.
async::Handler make_handler(const config::Config& config);

/// REST error reply (see http::error).
inline http::Response error_response(const Error& e) {
  return http::error(e);
}

}  // namespace ve::api
