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
//
// JSON routes have no form to carry a token. When a browser session calls an
// unsafe one, same_origin() must hold instead: browsers attach `Origin` to
// every cross-origin and every POST request (Fetch §3.1), and a page on
// another origin cannot forge it.
#pragma once
#include <string>
#include <string_view>

#include "worker/http/message.hpp"

namespace ve::auth {

/// Name of the hidden form field that carries the token.
inline constexpr const char* kCsrfField = "csrf";

/// The CSRF token for `secret` (formula above); "" when `secret` is empty.
std::string csrf_token(std::string_view secret);

/// True when `presented` equals csrf_token(secret), compared in constant time.
/// False when either is empty.
bool csrf_valid(std::string_view secret, std::string_view presented);

/// True when the request comes from a page of this origin: `Origin` equals
/// req.origin, or there is no `Origin` and `Sec-Fetch-Site: same-origin`.
bool same_origin(const http::Request& req);

}  // namespace ve::auth
