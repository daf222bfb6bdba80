// Browser sessions (table `sessions`, cookie auth::kSessionCookie).
//
// A session token is `vk_sess_` + 256 random bits (base64url); the cookie holds
// it, D1 holds only credential_hash(token). Sessions last 30 days from sign-in
// (no sliding renewal); signing out deletes the row.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/auth/users.hpp"
#include "worker/http/message.hpp"
#include "worker/result.hpp"

namespace ve::auth {

inline constexpr std::int64_t kSessionLifetimeS = 30LL * 24 * 3600;

/// Finishes a sign-in: finds or creates the user of `identity`, creates a
/// session (and drops the user's expired ones), writes the audit row
/// `auth.sign_in` (detail: the provider) in the same batch, and answers
/// 303 See Other to `return_to` (already validated) with the session cookie.
/// `also_clear` names a cookie to delete in the same response ("" for none).
/// On failure: an HTML error page (503 when D1 or randomness failed).
async::Task<http::Response> complete_sign_in(api::Ctx& ctx, Identity identity,
                                             std::string return_to, std::string also_clear);

/// The session token from the request's cookie, or "" when there is none.
std::string session_token(const http::Request& req);

}  // namespace ve::auth
