// Route handlers of scoped tokens (docs/proxy.md "Scoped tokens"); routes.cpp
// lists them. Internal to worker/tokens (the MCP token tools call them in-process).
#pragma once
#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"

namespace ve::tokens::handlers {

using api::Ctx;
using Handler = async::Task<http::Response>;

// manage.cpp — the user's tokens (JSON, full-access principals).
Handler create_token(Ctx& ctx);  ///< POST   /v1/tokens
Handler list_tokens(Ctx& ctx);   ///< GET    /v1/tokens
Handler pause_token(Ctx& ctx);   ///< POST   /v1/tokens/:id/pause
Handler resume_token(Ctx& ctx);  ///< POST   /v1/tokens/:id/resume
Handler revoke_token(Ctx& ctx);  ///< DELETE /v1/tokens/:id

// refresh.cpp — rotation of a token's credentials (the refresh credential is the auth).
Handler refresh_token(Ctx& ctx);  ///< POST /v1/tokens/refresh

}  // namespace ve::tokens::handlers
