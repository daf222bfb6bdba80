// Route handlers of the auth domain, one group per file; routes.cpp lists them.
// Internal to worker/auth (other domains use authenticate.hpp).
#pragma once
#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"

namespace ve::auth::handlers {

using api::Ctx;
using Handler = async::Task<http::Response>;

// sign_in_routes.cpp — browser sign-in pages (HTML).
Handler login_page(Ctx& ctx);   ///< GET  /auth/login?return_to=
Handler dev_form(Ctx& ctx);     ///< GET  /auth/dev            (development only, else 404)
Handler dev_sign_in(Ctx& ctx);  ///< POST /auth/dev            (development only, else 404)
Handler sign_out(Ctx& ctx);     ///< POST /auth/logout

// upstream_routes.cpp — GitHub / Google / OIDC sign-in (HTML + redirects).
Handler upstream_start(Ctx& ctx);     ///< GET /auth/:provider/start?return_to=
Handler upstream_callback(Ctx& ctx);  ///< GET /auth/:provider/callback?code=&state=

// device_flow.cpp — device authorization for `apilocker register` (JSON).
Handler cli_auth_start(Ctx& ctx);  ///< POST /v1/cli-auth/start
Handler cli_auth_poll(Ctx& ctx);   ///< POST /v1/cli-auth/poll

// device_page.cpp — the verification page (HTML).
Handler device_page(Ctx& ctx);    ///< GET  /device?user_code=
Handler device_decide(Ctx& ctx);  ///< POST /device  (approve / deny)

// devices_api.cpp — devices and identity (JSON).
Handler list_devices(Ctx& ctx);     ///< GET  /v1/devices
Handler revoke_device(Ctx& ctx);    ///< POST /v1/devices/:id/revoke
Handler register_device(Ctx& ctx);  ///< POST /v1/devices/register
Handler me(Ctx& ctx);               ///< GET  /v1/auth/me

}  // namespace ve::auth::handlers
