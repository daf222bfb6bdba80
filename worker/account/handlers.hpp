// Route handlers of the account domain (the signed-in user's sessions and the
// account itself), one job per file; routes.cpp lists them. Contract:
// docs/signin.md "Sessions", docs/storage.md "Account deletion".
#pragma once
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"
#include "worker/result.hpp"

namespace ve::account::handlers {

using api::Ctx;
using Handler = async::Task<http::Response>;

// sessions_list.cpp
Handler list_sessions(Ctx& ctx);  ///< GET    /v1/sessions

// sessions_revoke.cpp
Handler revoke_session(Ctx& ctx);         ///< DELETE /v1/sessions/:id
Handler revoke_other_sessions(Ctx& ctx);  ///< POST   /v1/sessions/revoke-others

// delete_account.cpp
Handler delete_account(Ctx& ctx);  ///< DELETE /v1/account

/// 403 `session_required`: `what` needs the browser session itself (a device
/// master token may not do it), e.g. "deleting the account".
inline Error session_required(const std::string& what) {
  return {403, "session_required",
          what +
              " is done from the dashboard, signed in in a browser; a device token cannot do "
              "it"};
}

}  // namespace ve::account::handlers
