// HTML for the sign-in and device-approval pages: plain documents and forms
// that work without JavaScript (the CSP of http::html forbids scripts anyway).
#pragma once
#include <string>
#include <string_view>

#include "worker/http/message.hpp"
#include "worker/result.hpp"

namespace ve::auth {

/// A complete HTML document titled `title` (escaped here) around `body_html`
/// (trusted markup: callers escape every value they interpolate).
std::string page(std::string_view title, std::string_view body_html);

/// `<input type="hidden" name=… value=…>` with both escaped.
std::string hidden_field(std::string_view name, std::string_view value);

/// A page with a heading, one paragraph of text (escaped) and, when
/// `link_href` is not empty, a link below it.
http::Response message_page(int status, std::string_view title, std::string_view text,
                            std::string_view link_href = {}, std::string_view link_label = {});

/// An error as a page: the Error's status, `title`, and its message.
http::Response error_page(const Error& e, std::string_view title);

/// The page shown when a form's CSRF field is missing or wrong (403).
http::Response csrf_failed_page();

}  // namespace ve::auth
