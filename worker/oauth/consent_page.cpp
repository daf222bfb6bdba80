#include "worker/oauth/consent_page.hpp"

#include <algorithm>

#include "worker/auth/csrf.hpp"
#include "worker/auth/pages.hpp"
#include "worker/auth/session.hpp"
#include "worker/http/reply.hpp"
#include "worker/oauth/redirect_uri.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/uri.hpp"

namespace ve::oauth {

namespace {
using http::html_escape;

std::string row(std::string_view label, const std::string& value_html) {
  return "<tr><td>" + html_escape(label) + "</td><td>" + value_html + "</td></tr>\n";
}

std::string scope_list(const AuthorizeRequest& r) {
  std::string out = "<ul class=\"scopes\">\n";
  for (const auto& s : supported_scopes()) {
    if (std::find(r.scopes.begin(), r.scopes.end(), s.name) == r.scopes.end()) continue;
    if (s.optional) {
      out += "<li><label><input type=\"checkbox\" name=\"" +
             html_escape(std::string(kGrantFieldPrefix) + std::string(s.name)) +
             "\" value=\"yes\" checked> " + html_escape(s.summary) + " <code>" +
             html_escape(s.name) + "</code></label></li>\n";
    } else {
      out += "<li>" + html_escape(s.summary) + " <code>" + html_escape(s.name) +
             "</code> (always included)</li>\n";
    }
  }
  return out + "</ul>\n";
}

std::string identity_rows(const Client& c) {
  std::string rows;
  std::string app = "<b>" + html_escape(c.name) +
                    "</b> <span class=\"note\">(name declared by "
                    "the app itself, not verified)</span>";
  rows += row("App", app);
  if (!c.client_uri.empty()) {
    rows +=
        row("Homepage", html_escape(c.client_uri) + " <span class=\"note\">(self-declared)</span>");
  }
  if (c.from_document) {
    const auto u = parse_uri(c.id);
    rows += row("Published by", "<b>" + html_escape(u ? u->host : c.id) +
                                    "</b> <span class=\"note\">(the site that hosts the app's "
                                    "metadata document)</span>");
  } else {
    rows += row("Client ID", "<code>" + html_escape(c.id) + "</code>");
  }
  return rows;
}
}  // namespace

http::Response consent_page(const api::Ctx& ctx, const AuthorizeRequest& r,
                            const std::string& request_id) {
  const Client& c = r.client;
  std::string logo;
  if (!c.logo_uri.empty()) {
    logo = "<img src=\"" + html_escape(c.logo_uri) + "\" alt=\"\" width=\"48\" height=\"48\">\n";
  }
  const std::string destination = redirect_display(r.redirect_uri);
  std::string body =
      logo + "<h1>Connect " + html_escape(c.name) +
      " to your vault?</h1>\n<p>An app asks for "
      "access to the vault of <b>" +
      html_escape(ctx.principal.email) +
      "</b>. It will act through vaultedge's MCP server; it never receives your sign-in.</p>\n"
      "<table>\n" +
      identity_rows(c) + row("Sends you back to", "<b>" + html_escape(destination) + "</b>") +
      row("Access for", "<code>" + html_escape(r.resource) + "</code>") +
      "</table>\n<h2>It will be able to</h2>\n<form method=\"post\" action=\"/oauth/authorize\">" +
      auth::hidden_field(kRequestField, request_id) +
      auth::hidden_field(auth::kCsrfField, auth::csrf_token(auth::session_token(ctx.req))) + "\n" +
      scope_list(r) + "<p>Approve only if you started connecting <b>" + html_escape(c.name) +
      "</b> yourself just now and you trust <b>" + html_escape(destination) +
      "</b>. You can disconnect it at any time (connected apps: <code>apilocker oauth grants "
      "list</code>).</p>\n"
      "<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\">Approve"
      "</button>\n<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
      "</form>\n";
  const auto source = redirect_csp_source(r.redirect_uri);
  const bool https = source.substr(0, 8) == "https://";
  return http::html(200, auth::page("Connect " + c.name + "?", body), https ? "" : source);
}

}  // namespace ve::oauth
