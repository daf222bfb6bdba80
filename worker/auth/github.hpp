// GitHub sign-in (an OAuth app; GitHub is not an OpenID provider): the
// authorization-code flow with PKCE S256 and `state`, then the REST API for
// the user's id and verified primary email.
//
//   authorize  https://github.com/login/oauth/authorize   scope "read:user user:email"
//   token      https://github.com/login/oauth/access_token (Accept: application/json)
//   user       https://api.github.com/user        → `id` (the stable subject)
//   emails     https://api.github.com/user/emails → the entry with primary && verified
#pragma once
#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/auth/oidc.hpp"
#include "worker/auth/providers.hpp"
#include "worker/auth/users.hpp"
#include "worker/result.hpp"

namespace ve::auth {

/// GitHub's fixed endpoints (userinfo = the /user API).
Endpoints github_endpoints();

/// Exchanges the code and returns identity ("github", numeric user id as text,
/// lower-cased verified primary email). Errors: 502 `upstream_error` when
/// GitHub fails or answers unexpectedly; 403 `email_not_verified` when the
/// account has no verified primary email. (`in.nonce` is unused: OAuth only.)
async::Task<Result<Identity>> github_identity(api::Ctx& ctx, const Provider& provider,
                                              CallbackInput in);

}  // namespace ve::auth
