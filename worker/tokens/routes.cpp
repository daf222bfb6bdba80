// Route list of scoped tokens (docs/proxy.md "Scoped tokens", API Locker's routes).
#include "worker/api/domains.hpp"
#include "worker/tokens/handlers.hpp"

namespace ve::tokens {

std::vector<api::Route> routes() {
  using api::Access;
  namespace h = handlers;
  return {
      {"POST", "/v1/tokens/refresh", Access::open, &h::refresh_token},
      {"POST", "/v1/tokens", Access::user, &h::create_token},
      {"GET", "/v1/tokens", Access::user, &h::list_tokens},
      {"POST", "/v1/tokens/:id/pause", Access::user, &h::pause_token},
      {"POST", "/v1/tokens/:id/resume", Access::user, &h::resume_token},
      {"DELETE", "/v1/tokens/:id", Access::user, &h::revoke_token},
  };
}

}  // namespace ve::tokens
