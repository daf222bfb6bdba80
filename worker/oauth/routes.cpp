// Route list of the OAuth domain (docs/oauth.md): discovery, registration, the
// authorization and token endpoints, revocation, and connected apps.
#include "worker/api/domains.hpp"
#include "worker/oauth/handlers.hpp"

namespace ve::oauth {

std::vector<api::Route> routes() {
  using api::Access;
  namespace h = handlers;
  return {
      // Discovery (RFC 9728 §3.1 path-inserted form for /v1/mcp, and the bare one).
      // Browser-based clients call these from their own origin (cross_origin:
      // CORS without credentials); the authorization endpoint is a page the
      // browser navigates to, so it needs none.
      {"GET", "/.well-known/oauth-protected-resource/v1/mcp", Access::open,
       &h::protected_resource_metadata, true},
      {"GET", "/.well-known/oauth-protected-resource", Access::open,
       &h::protected_resource_metadata, true},
      {"GET", "/.well-known/oauth-authorization-server", Access::open,
       &h::authorization_server_metadata, true},
      // The authorization server.
      {"POST", "/oauth/register", Access::open, &h::register_client, true},
      {"GET", "/oauth/authorize", Access::session, &h::authorize},
      {"POST", "/oauth/authorize", Access::session, &h::consent},
      {"POST", "/oauth/token", Access::open, &h::token, true},
      {"POST", "/oauth/revoke", Access::open, &h::revoke, true},
      // Connected apps (API Locker's routes).
      {"GET", "/v1/oauth/grants", Access::user, &h::list_grants},
      {"POST", "/v1/oauth/grants/:id/revoke", Access::user, &h::revoke_grant},
      {"DELETE", "/v1/oauth/grants/:id", Access::user, &h::revoke_grant},
  };
}

}  // namespace ve::oauth
