// CSRF tokens for the HTML forms of sign-in, sign-out and device approval.
//
// No storage: the hidden form field is derived from a secret the browser
// already holds in an HttpOnly cookie (the session token once signed in, the
// pre-login token before) and that a cross-site attacker can neither read nor
// set (`__Host-` cookies, SameSite=Lax):
//
//   csrf = base64url(HMAC-SHA256(key = secret, message = "csrf"))   (43 chars)
//
// A form POST is accepted only when its `csrf` field equals the value derived
// from the cookie it arrives with, compared in constant time.
#pragma once
#include <string>
#include <string_view>

namespace ve::auth {

/// Name of the hidden form field that carries the token.
inline constexpr const char* kCsrfField = "csrf";

/// The CSRF token for `secret` (formula above); "" when `secret` is empty.
std::string csrf_token(std::string_view secret);

/// True when `presented` equals csrf_token(secret), compared in constant time.
/// False when either is empty.
bool csrf_valid(std::string_view secret, std::string_view presented);

}  // namespace ve::auth
