// Browser sign-in pages: the login page, the development form, sign-out.
#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/cookies.hpp"
#include "worker/auth/csrf.hpp"
#include "worker/auth/handlers.hpp"
#include "worker/auth/pages.hpp"
#include "worker/auth/providers.hpp"
#include "worker/auth/return_to.hpp"
#include "worker/auth/session.hpp"
#include "worker/auth/upstream_http.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/reply.hpp"

namespace ve::auth::handlers {

namespace {

using http::html_escape;

std::string query_param(const Ctx& ctx, const std::string& name) {
  auto it = ctx.req.query.find(name);
  return it == ctx.req.query.end() ? std::string() : it->second;
}

http::Response dev_disabled_page() {
  return message_page(404, "Not available",
                      "The development sign-in form is disabled: this server does not run with "
                      "ENVIRONMENT=development. Sign in with a configured provider instead.",
                      std::string(kDefaultReturnTo), "Sign in");
}

/// The pre-login secret of this browser: the existing cookie, or a new one
/// (then `set` receives its Set-Cookie value). "" when randomness failed.
std::string pre_login_secret(const Ctx& ctx, std::string& set) {
  if (auto existing = cookie(ctx.req, kLoginCookie); existing && !existing->empty()) {
    return *existing;
  }
  std::string fresh = crypto::random_token("vk_pl_");
  if (!fresh.empty()) set = set_cookie(kLoginCookie, fresh, -1);
  return fresh;
}

std::string dev_form_html(const std::string& secret, const std::string& return_to) {
  return "<h2>Development sign-in</h2>\n"
         "<form method=\"post\" action=\"/auth/dev\">\n"
         "<p><label>Email <input type=\"email\" name=\"email\" required autofocus "
         "autocomplete=\"email\"></label></p>\n" +
         hidden_field("return_to", return_to) + hidden_field(kCsrfField, csrf_token(secret)) +
         "\n<p><button class=\"primary\" type=\"submit\">Sign in</button></p>\n</form>\n"
         "<p class=\"note\">Shown only because ENVIRONMENT=development: anyone can sign in as "
         "any address here.</p>\n";
}

/// Renders `body` as a page, setting the pre-login cookie when one was made.
http::Response page_with_cookie(std::string_view title, const std::string& body,
                                const std::string& set) {
  auto r = http::html(200, page(title, body));
  if (!set.empty()) r.headers.emplace_back("set-cookie", set);
  return r;
}

}  // namespace

Handler login_page(Ctx& ctx) {
  const std::string asked = query_param(ctx, "return_to");
  auto return_to = checked_return_to(asked);
  if (!return_to.ok()) co_return error_page(return_to.error(), "Cannot sign in");
  // Signed in already: nothing to do here. The dashboard (`/`) shows the
  // account and signs out; a page that sent the browser here to sign in
  // (device approval, OAuth consent) gets it back at once.
  if (ctx.principal.authenticated()) co_return http::see_other(asked.empty() ? "/" : *return_to);
  std::string body = "<h1>Sign in to vaultedge</h1>\n";
  const auto providers = configured_providers(ctx.config);
  for (const auto& p : providers) {
    const std::string href = with_query("/auth/" + p.slug + "/start", {{"return_to", *return_to}});
    body += "<p><a class=\"button\" href=\"" + html_escape(href) + "\">Sign in with " +
            html_escape(p.label) + "</a></p>\n";
  }
  std::string set;
  if (ctx.config.development()) {
    const std::string secret = pre_login_secret(ctx, set);
    if (secret.empty()) co_return error_page(unavailable("no randomness available"), "Try again");
    body += dev_form_html(secret, *return_to);
  } else if (providers.empty()) {
    body +=
        "<p>No sign-in provider is configured on this server. Its operator must set "
        "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, GOOGLE_CLIENT_ID and "
        "GOOGLE_CLIENT_SECRET, or OIDC_ISSUER and OIDC_CLIENT_ID (see docs/signin.md).</p>\n";
  }
  co_return page_with_cookie("Sign in", body, set);
}

Handler dev_form(Ctx& ctx) {
  if (!ctx.config.development()) co_return dev_disabled_page();
  auto return_to = checked_return_to(query_param(ctx, "return_to"));
  if (!return_to.ok()) co_return error_page(return_to.error(), "Cannot sign in");
  std::string set;
  const std::string secret = pre_login_secret(ctx, set);
  if (secret.empty()) co_return error_page(unavailable("no randomness available"), "Try again");
  co_return page_with_cookie(
      "Sign in", "<h1>Sign in to vaultedge</h1>\n" + dev_form_html(secret, *return_to), set);
}

Handler dev_sign_in(Ctx& ctx) {
  if (!ctx.config.development()) co_return dev_disabled_page();
  auto form = http::parse_form(ctx.req.body);
  if (!csrf_valid(cookie(ctx.req, kLoginCookie).value_or(""), form[kCsrfField])) {
    co_return csrf_failed_page();
  }
  auto return_to = checked_return_to(form["return_to"]);
  if (!return_to.ok()) co_return error_page(return_to.error(), "Cannot sign in");
  auto email = normalized_email(form["email"]);
  if (!email) {
    co_return message_page(400, "Cannot sign in", "Enter an email address such as you@example.com.",
                           with_query("/auth/dev", {{"return_to", *return_to}}), "Back");
  }
  co_return co_await complete_sign_in(ctx, Identity{"dev", *email, *email}, *return_to,
                                      kLoginCookie);
}

Handler sign_out(Ctx& ctx) {
  // The CSRF check comes first, before anything is cleared: without it a
  // cross-site form could sign people out (logout CSRF). The token derives
  // from the session cookie, so a request without one can never pass, and a
  // refusal carries no Set-Cookie. The form sends it as the `csrf` field; the
  // dashboard's fetch sends it as the X-CSRF-Token header (a header a
  // cross-site page cannot set without a CORS preflight we never grant) and
  // gets 204 instead of a redirect.
  const std::string token = session_token(ctx.req);
  const bool by_fetch = ctx.req.header(kCsrfHeader).has_value();
  const bool valid = by_fetch ? csrf_header_valid(ctx.req)
                              : csrf_valid(token, http::parse_form(ctx.req.body)[kCsrfField]);
  if (!valid && by_fetch) co_return http::error(csrf_required());
  if (!valid) {
    co_return message_page(403, "Sign-out refused",
                           "This sign-out request did not come from this site's Sign out button "
                           "(its form token is missing or wrong), so nothing was changed. To sign "
                           "out, use the Sign out button of the dashboard.",
                           "/", "Go to the dashboard");
  }
  http::Response done = by_fetch ? http::Response{204, {{"cache-control", "no-store"}}, ""}
                                 : http::see_other(std::string(kDefaultReturnTo));
  done.headers.emplace_back("set-cookie", clear_cookie(kSessionCookie));
  // A valid token with no live session (it expired): only the cookie is left to clear.
  if (!ctx.principal.authenticated()) co_return done;
  std::vector<async::Statement> batch;
  batch.push_back(audit::insert(ctx, {.action = "auth.sign_out", .status = by_fetch ? 204 : 303}));
  batch.push_back({"DELETE FROM sessions WHERE token_hash = ?1 AND user_id = ?2",
                   {credential_hash(token), ctx.principal.user_id}});
  auto r = co_await ctx.io.d1_batch(std::move(batch));
  if (!r.ok())
    co_return by_fetch ? http::error(r.error()) : error_page(r.error(), "Sign-out failed");
  co_return done;
}

}  // namespace ve::auth::handlers
