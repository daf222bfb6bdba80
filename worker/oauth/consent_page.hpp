// The consent page of the authorization endpoint: plain HTML, no JavaScript.
#pragma once
#include <string>

#include "worker/api/context.hpp"
#include "worker/http/message.hpp"
#include "worker/oauth/authorize_request.hpp"

namespace ve::oauth {

/// Form field names of the consent form (POST /oauth/authorize).
inline constexpr const char* kRequestField = "request";
inline constexpr const char* kDecisionField = "decision";  ///< "approve" | "deny"
/// Prefix of the checkbox of an optional scope: `grant:vault:write=yes`.
inline constexpr std::string_view kGrantFieldPrefix = "grant:";

/// The page that asks the signed-in user (ctx.principal) to approve `r`:
/// who asks (the client's self-declared name, homepage and logo, labelled as
/// self-declared; a metadata document's host, which is verified), where the
/// browser goes next (the redirect URI's host), what it may do (each scope in
/// words; optional ones as checked checkboxes), and Approve / Deny buttons.
/// `request_id` is the pending request's handle; the form also carries the CSRF
/// field derived from the session. The CSP lets the form's 303 reach the
/// redirect URI.
http::Response consent_page(const api::Ctx& ctx, const AuthorizeRequest& r,
                            const std::string& request_id);

}  // namespace ve::oauth
