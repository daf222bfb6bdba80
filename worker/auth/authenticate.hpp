// One function turns a request into a principal (docs/architecture.md "Principals").
#pragma once
#include <optional>
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/auth/principal.hpp"
#include "worker/result.hpp"

namespace ve::auth {

/// Name of the browser session cookie (`__Host-` prefix: Secure, Path=/, no Domain).
inline constexpr const char* kSessionCookie = "__Host-vaultedge_session";

/// Bearer credential from `Authorization: Bearer <token>` (RFC 6750 §2.1):
/// a device master token (`vk_master_…`), an OAuth access token (`vk_at_…`,
/// oauth::access_token_principal: 401 `invalid_token` outside its audience) or
/// a scoped token (`vk_scoped_…`, tokens::scoped_principal: 403 when paused).
/// Errors (401 `unauthorized`): header missing or not Bearer, token unknown,
/// expired or revoked, its device revoked. A token in the query string is
/// refused (400; RFC 6750 §2.3 is not supported because URLs end up in logs).
/// Device master tokens also bump the device's `last_used_at` (at most once a minute).
async::Task<Result<Principal>> authenticate_bearer(api::Ctx& ctx);

/// The browser session from the session cookie, or nullopt when there is none,
/// it expired (30 days after sign-in) or it went unused for 24 hours
/// (session.hpp). Bumps the session's `last_seen_at` when it is more than
/// 5 minutes old. Sets Principal::session_id. Errors only when D1 is unavailable.
async::Task<Result<std::optional<Principal>>> session_principal(api::Ctx& ctx);

/// Value of cookie `name` in the request's Cookie header(s), or nullopt.
std::optional<std::string> cookie(const http::Request& req, std::string_view name);

/// SHA-256 hex of a bearer credential: the only form stored (docs/architecture.md "Cryptography").
std::string credential_hash(std::string_view token);

}  // namespace ve::auth
