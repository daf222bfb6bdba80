// Browser sessions (table `sessions`, cookie auth::kSessionCookie).
//
// A session token is `vk_sess_` + 256 random bits (base64url); the cookie holds
// it, D1 holds only credential_hash(token); the row's public handle is its
// `id` (`ses_…`). A session lives 30 days from sign-in (absolute, never
// extended) and dies earlier when unused for 24 hours (idle limit, checked
// against `last_seen_at`, which authentication bumps at most every 5 minutes).
// Signing out or revoking it deletes the row. docs/signin.md "Sessions".
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

/// Absolute lifetime from sign-in, seconds (also the cookie's Max-Age).
inline constexpr std::int64_t kSessionLifetimeS = 30LL * 24 * 3600;
/// A session not seen for this long is dead, ms.
inline constexpr std::int64_t kSessionIdleMs = 24LL * 3600 * 1000;
/// `last_seen_at` is written at most this often per session, ms: a request
/// within it costs no D1 write; the idle limit is exact to within it.
inline constexpr std::int64_t kLastSeenGranularityMs = 5LL * 60 * 1000;
/// The user agent kept per session is cut to this many bytes (at a UTF-8
/// character boundary).
inline constexpr std::size_t kUserAgentMaxBytes = 256;

/// Finishes a sign-in: finds or creates the user of `identity`, creates a
/// session with its metadata (user agent, client address, country; dropping
/// the user's expired and idle ones), writes the audit row
/// `auth.sign_in` (detail: the provider) in the same batch, and answers
/// 303 See Other to `return_to` (already validated) with the session cookie.
/// `also_clear` names a cookie to delete in the same response ("" for none).
/// On failure: an HTML error page (503 when D1 or randomness failed).
async::Task<http::Response> complete_sign_in(api::Ctx& ctx, Identity identity,
                                             std::string return_to, std::string also_clear);

/// The session token from the request's cookie, or "" when there is none.
std::string session_token(const http::Request& req);

/// `user_agent` cut to at most kUserAgentMaxBytes bytes without splitting a
/// UTF-8 sequence.
std::string clipped_user_agent(std::string_view user_agent);

}  // namespace ve::auth
