// Route list of the auth domain: sign-in, device registration, devices, me.
// Protocol and design notes: docs/signin.md.
#include "worker/api/domains.hpp"
#include "worker/auth/handlers.hpp"

namespace ve::auth {

std::vector<api::Route> routes() {
  using api::Access;
  namespace h = handlers;
  return {
      // Browser sign-in (HTML).
      {"GET", "/auth/login", Access::session, &h::login_page},
      {"GET", "/auth/dev", Access::open, &h::dev_form},
      {"POST", "/auth/dev", Access::open, &h::dev_sign_in},
      {"POST", "/auth/logout", Access::session, &h::sign_out},
      {"GET", "/auth/:provider/start", Access::open, &h::upstream_start},
      {"GET", "/auth/:provider/callback", Access::open, &h::upstream_callback},
      // Device authorization (RFC 8628 shape, as the apilocker CLI speaks it).
      {"POST", "/v1/cli-auth/start", Access::open, &h::cli_auth_start},
      {"POST", "/v1/cli-auth/poll", Access::open, &h::cli_auth_poll},
      {"GET", "/device", Access::session, &h::device_page},
      {"POST", "/device", Access::session, &h::device_decide},
      // Devices and identity (JSON, full-access principals).
      {"GET", "/v1/devices", Access::user, &h::list_devices},
      {"POST", "/v1/devices/register", Access::user, &h::register_device},
      {"POST", "/v1/devices/:id/revoke", Access::user, &h::revoke_device},
      {"GET", "/v1/auth/me", Access::user, &h::me},
  };
}

}  // namespace ve::auth
