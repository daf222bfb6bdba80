// The cookies of browser sign-in, all `__Host-` prefixed (RFC 6265bis §4.1.3.2:
// Secure, Path=/, no Domain) and HttpOnly with SameSite=Lax, so scripts cannot
// read them and cross-site subrequests do not carry them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace ve::auth {

/// Random secret set by the sign-in pages before any session exists; the dev
/// form's CSRF token is derived from it (csrf.hpp). Lives for the browser session.
inline constexpr const char* kLoginCookie = "__Host-vaultedge_login";
/// The upstream `state` of the sign-in in progress, so a callback is accepted
/// only in the browser that started it (login CSRF). Lives 10 minutes.
inline constexpr const char* kStateCookie = "__Host-vaultedge_oauth_state";

/// A Set-Cookie value: `name=value; Path=/; Secure; HttpOnly; SameSite=Lax`, plus
/// `; Max-Age=<max_age_s>` when max_age_s >= 0 (seconds; otherwise a session cookie).
std::string set_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s);

/// A Set-Cookie value that deletes cookie `name` (empty value, Max-Age=0).
std::string clear_cookie(std::string_view name);

}  // namespace ve::auth
