#include "worker/http/reply.hpp"

namespace ve::http {

namespace {
Headers base_headers(std::string content_type) {
  return {{"content-type", std::move(content_type)},
          {"cache-control", "no-store"},
          {"x-content-type-options", "nosniff"}};
}
}  // namespace

Response json(int status, const boost::json::value& body) {
  return {status, base_headers("application/json"), boost::json::serialize(body)};
}

Response error(const Error& e) {
  boost::json::object o;
  o["error"] = e.message;
  o["code"] = e.code;
  auto r = json(e.status, o);
  if (e.retry_after_s > 0) r.headers.emplace_back("retry-after", std::to_string(e.retry_after_s));
  return r;
}

Response html(int status, std::string body, std::string_view form_action_extra) {
  auto h = base_headers("text/html; charset=utf-8");
  std::string form_action = "'self' https:";
  if (!form_action_extra.empty()) form_action += " " + std::string(form_action_extra);
  h.emplace_back("content-security-policy",
                 "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
                 "form-action " +
                     form_action + "; frame-ancestors 'none'; base-uri 'none'");
  h.emplace_back("x-frame-options", "DENY");
  h.emplace_back("referrer-policy", "no-referrer");
  return {status, std::move(h), std::move(body)};
}

Response see_other(std::string location) {
  Response r{303, base_headers("text/plain; charset=utf-8"), ""};
  r.headers.emplace_back("location", std::move(location));
  return r;
}

Response found(std::string location) {
  Response r{302, base_headers("text/plain; charset=utf-8"), ""};
  r.headers.emplace_back("location", std::move(location));
  return r;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace ve::http
