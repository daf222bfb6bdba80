// CSRF tokens for the HTML forms of sign-in, sign-out and device approval,
// and for the dashboard's unsafe JSON calls.
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
// unsafe one, two checks hold: same_origin() (browsers attach `Origin` to
// every cross-origin and every POST request, Fetch §3.1, and a page on another
// origin cannot forge it) and the header `X-CSRF-Token`, which must carry the
// same token as the forms. The dashboard gets it from `GET /v1/auth/me`; a
// cross-site page can neither read that answer nor derive the token, so the
// header still holds where `Origin` is missing or spoofable (old browsers,
// extensions, a proxy that strips it).
#pragma once
#include <string>
#include <string_view>

#include "worker/http/message.hpp"
#include "worker/result.hpp"

namespace ve::auth {

/// Name of the hidden form field that carries the token.
inline constexpr const char* kCsrfField = "csrf";
/// Request header (lower-case) that carries the token on the dashboard's
/// unsafe JSON calls (and on its fetch-based sign-out).
inline constexpr const char* kCsrfHeader = "x-csrf-token";

/// The CSRF token for `secret` (formula above); "" when `secret` is empty.
std::string csrf_token(std::string_view secret);

/// True when `presented` equals csrf_token(secret), compared in constant time.
/// False when either is empty.
bool csrf_valid(std::string_view secret, std::string_view presented);

/// True when the request comes from a page of this origin: `Origin` equals
/// req.origin, or there is no `Origin` and `Sec-Fetch-Site: same-origin`.
bool same_origin(const http::Request& req);

/// True when the request's `X-CSRF-Token` header equals csrf_token(session
/// cookie), compared in constant time. False when either is missing.
bool csrf_header_valid(const http::Request& req);

/// The refusal of an unsafe session request without a valid `X-CSRF-Token`:
/// 403 `csrf_required`.
Error csrf_required();

}  // namespace ve::auth
