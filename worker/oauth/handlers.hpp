// Route handlers of the OAuth domain, one group per file; routes.cpp lists them.
// Internal to worker/oauth. Contract: docs/oauth.md.
#pragma once
#include <optional>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"
#include "worker/ratelimit/limit.hpp"

namespace ve::oauth::handlers {

using api::Ctx;
using Handler = async::Task<http::Response>;

// rate_limit.cpp — the per-address limit of registration, token and revocation:
// nullopt when the request may go on; else 429 `{"error": "rate_limited",
// "error_description"}` with Retry-After (503 `temporarily_unavailable` when D1
// cannot count). Called first, so malformed requests count too.
async::Task<std::optional<http::Response>> over_limit(Ctx& ctx, ratelimit::Endpoint endpoint);

// metadata.cpp — discovery documents (JSON).
Handler protected_resource_metadata(
    Ctx& ctx);  ///< GET /.well-known/oauth-protected-resource[/v1/mcp]
Handler authorization_server_metadata(Ctx& ctx);  ///< GET /.well-known/oauth-authorization-server

// register.cpp — RFC 7591 dynamic client registration (JSON).
Handler register_client(Ctx& ctx);  ///< POST /oauth/register

// authorize.cpp — the authorization endpoint and its consent form (HTML + redirects).
Handler authorize(Ctx& ctx);  ///< GET  /oauth/authorize
Handler consent(Ctx& ctx);    ///< POST /oauth/authorize

// token_endpoint.cpp — RFC 6749 §3.2 token endpoint (form in, JSON out).
Handler token(Ctx& ctx);  ///< POST /oauth/token

// revoke.cpp — RFC 7009 revocation (form in).
Handler revoke(Ctx& ctx);  ///< POST /oauth/revoke

// grants_api.cpp — connected apps (JSON, full-access principals).
Handler list_grants(Ctx& ctx);   ///< GET  /v1/oauth/grants
Handler revoke_grant(Ctx& ctx);  ///< POST /v1/oauth/grants/:id/revoke, DELETE /v1/oauth/grants/:id

}  // namespace ve::oauth::handlers
