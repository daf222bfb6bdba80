// Response builders. Every response of a credential vault is `no-store`.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "worker/http/message.hpp"
#include "worker/result.hpp"

namespace ve::http {

/// JSON body with the given status.
Response json(int status, const boost::json::value& body);
/// REST error in the shape the apilocker CLI reads (`data.error` is shown to the
/// user as is): `{"error": "<message>", "code": "<code>"}`, plus `Retry-After`
/// when e.retry_after_s > 0.
Response error(const Error& e);
/// HTML page (UTF-8) with a strict CSP and `frame-ancestors 'none'`. Its forms
/// may post to this origin and https; `form_action_extra` (a CSP source such as
/// `http://127.0.0.1:33418` or `cursor:`) is added when the page's form
/// answers with a redirect elsewhere (CSP 3 §6.4.1 applies form-action to
/// redirects: the OAuth consent form's 303 to a loopback or native-app client).
Response html(int status, std::string body, std::string_view form_action_extra = {});
/// 303 See Other to `location` (after a form POST, per RFC 9110 §15.4.4).
Response see_other(std::string location);
/// 302 Found to `location` (redirects to upstream sign-in and OAuth callbacks).
Response found(std::string location);

/// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view s);

}  // namespace ve::http
