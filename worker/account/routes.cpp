// Route list of the account domain: the browser sessions of the signed-in
// user and the deletion of the account (JSON, full-access principals; a
// session's unsafe calls carry X-CSRF-Token, checked by the router).
#include "worker/account/handlers.hpp"
#include "worker/api/domains.hpp"

namespace ve::account {

std::vector<api::Route> routes() {
  using api::Access;
  namespace h = handlers;
  return {
      {"GET", "/v1/sessions", Access::user, &h::list_sessions},
      {"POST", "/v1/sessions/revoke-others", Access::user, &h::revoke_other_sessions},
      {"DELETE", "/v1/sessions/:id", Access::user, &h::revoke_session},
      {"DELETE", "/v1/account", Access::user, &h::delete_account},
  };
}

}  // namespace ve::account
