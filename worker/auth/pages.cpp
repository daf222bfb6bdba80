#include "worker/auth/pages.hpp"

#include "worker/http/reply.hpp"

namespace ve::auth {

namespace {
constexpr std::string_view kStyle =
    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1b1b1b}"
    "h1{font-size:1.4rem}code,.code{font-family:ui-monospace,monospace}"
    ".code{font-size:1.6rem;letter-spacing:.15em}"
    "table{border-collapse:collapse}td{padding:.2rem .8rem .2rem 0;vertical-align:top}"
    "button,.button{font:inherit;padding:.45rem 1rem;margin:.25rem .5rem .25rem 0;"
    "border:1px solid #444;border-radius:.3rem;background:#f4f4f4;color:inherit;"
    "text-decoration:none;display:inline-block;cursor:pointer}"
    "button.primary{background:#1b5e20;color:#fff;border-color:#1b5e20}"
    "input[type=text],input[type=email]{font:inherit;padding:.4rem;width:16rem}"
    ".note{color:#555;font-size:.9rem}";
}  // namespace

std::string page(std::string_view title, std::string_view body_html) {
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>";
  out += http::html_escape(title);
  out += " · vaultedge</title><style>";
  out += kStyle;
  out += "</style></head><body>\n";
  out += body_html;
  out += "\n</body></html>\n";
  return out;
}

std::string hidden_field(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + http::html_escape(name) + "\" value=\"" +
         http::html_escape(value) + "\">";
}

http::Response message_page(int status, std::string_view title, std::string_view text,
                            std::string_view link_href, std::string_view link_label) {
  std::string body =
      "<h1>" + http::html_escape(title) + "</h1>\n<p>" + http::html_escape(text) + "</p>\n";
  if (!link_href.empty()) {
    body += "<p><a href=\"" + http::html_escape(link_href) + "\">" +
            http::html_escape(link_label.empty() ? link_href : link_label) + "</a></p>\n";
  }
  return http::html(status, page(title, body));
}

http::Response error_page(const Error& e, std::string_view title) {
  return message_page(e.status, title, e.message);
}

http::Response csrf_failed_page() {
  return message_page(403, "Form expired",
                      "This form was not sent from a page vaultedge showed you in this browser, "
                      "or your sign-in changed since it was shown (CSRF check failed). Go back, "
                      "reload the page and try again.");
}

}  // namespace ve::auth
