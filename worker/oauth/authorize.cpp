// The authorization endpoint (RFC 6749 §3.1, §4.1): GET shows the consent page
// after sign-in; POST is the consent form's answer, which mints the code.
//
// The pending request lives in D1 (oauth_requests) under the hash of a random
// handle that only the form carries, bound to the signed-in user: the form
// cannot alter what was validated, and answering deletes the row, so each
// consent is answered at most once.
#include <algorithm>

#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/csrf.hpp"
#include "worker/auth/pages.hpp"
#include "worker/auth/session.hpp"
#include "worker/auth/upstream_http.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/reply.hpp"
#include "worker/oauth/authorize_request.hpp"
#include "worker/oauth/consent_page.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/params.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/tokens.hpp"
#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth::handlers {

namespace {
constexpr std::int64_t kRequestLifetimeMs = 10LL * 60 * 1000;

http::Response to_sign_in(const Ctx& ctx) {
  std::string back = ctx.req.url.substr(std::min(ctx.req.origin.size(), ctx.req.url.size()));
  return http::see_other(auth::with_query("/auth/login", {{"return_to", back}}));
}

http::Response try_again(const Error& e) {
  return auth::error_page(e, "Try again");
}

/// The pending request as stored, with the user's decision still to apply.
struct Pending {
  AuthorizeRequest request;
  std::int64_t expires_at = 0;
};

async::Task<Result<std::optional<Pending>>> take_pending(Ctx& ctx, const std::string& handle) {
  const std::string hash = auth::credential_hash(handle);
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT client_id, client_name, redirect_uri, scope, resource, code_challenge, "
       "state, expires_at FROM oauth_requests WHERE id_hash = ?1 AND user_id = ?2",
       {hash, ctx.principal.user_id}});
  batch.push_back({"DELETE FROM oauth_requests WHERE id_hash = ?1 AND user_id = ?2",
                   {hash, ctx.principal.user_id}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& r = rows.value()[0];
  if (r.rows.empty() || rows.value()[1].changes != 1) co_return std::optional<Pending>{};
  Pending p;
  p.request.client.id = store::text_or_empty(r, 0, "client_id");
  p.request.client.name = store::text_or_empty(r, 0, "client_name");
  p.request.redirect_uri = store::text_or_empty(r, 0, "redirect_uri");
  p.request.scopes = split_scopes(store::text_or_empty(r, 0, "scope"));
  p.request.resource = store::text_or_empty(r, 0, "resource");
  p.request.code_challenge = store::text_or_empty(r, 0, "code_challenge");
  p.request.state = store::text(r, 0, "state").value_or("");
  p.expires_at = store::integer(r, 0, "expires_at").value_or(0);
  co_return std::optional<Pending>(std::move(p));
}

/// The scopes the user left ticked: the base scope plus each requested optional
/// scope whose checkbox came back.
std::vector<std::string> granted_scopes(const std::vector<std::string>& requested,
                                        const Params& form) {
  std::vector<std::string> out;
  for (const auto& s : supported_scopes()) {
    if (std::find(requested.begin(), requested.end(), s.name) == requested.end()) continue;
    if (!s.optional || param(form, std::string(kGrantFieldPrefix) + std::string(s.name)) == "yes") {
      out.emplace_back(s.name);
    }
  }
  return out;
}
}  // namespace

/// A request with a repeated parameter is ambiguous (which client_id, which
/// redirect_uri?), so it is answered with a page, never sent anywhere.
http::Response repeated_parameter_page(const Error& e) {
  return auth::message_page(400, "This app cannot connect",
                            "invalid_request: " + e.message +
                                ". Nothing was shared. Tell the app's developer, or connect again "
                                "from the app.");
}

Handler authorize(Ctx& ctx) {
  // ctx.req.query keeps the last of repeated names; re-read the raw query.
  auto query = parse_params(query_of(ctx.req.url));
  if (!query.ok()) co_return repeated_parameter_page(query.error());
  // A Client ID Metadata Document is fetched only for a signed-in user: an
  // anonymous request must not make this server fetch URLs of its choosing.
  if (!ctx.principal.authenticated() && is_metadata_url(param(query.value(), "client_id"))) {
    co_return to_sign_in(ctx);
  }
  auto checked = co_await check_authorize_request(ctx, query.value());
  if (!checked.request) co_return std::move(checked.refusal);
  if (!ctx.principal.authenticated()) co_return to_sign_in(ctx);
  const AuthorizeRequest& r = *checked.request;

  const std::string handle = crypto::random_token("vk_req_");
  if (handle.empty()) co_return try_again(unavailable("no randomness available"));
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back({"DELETE FROM oauth_requests WHERE user_id = ?1 AND expires_at <= ?2",
                   {ctx.principal.user_id, now}});
  batch.push_back(
      {"INSERT INTO oauth_requests (id_hash, user_id, client_id, client_name, "
       "redirect_uri, scope, resource, code_challenge, state, created_at, expires_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
       {auth::credential_hash(handle), ctx.principal.user_id, r.client.id, r.client.name,
        r.redirect_uri, join_scopes(r.scopes), r.resource, r.code_challenge,
        store::nullable(r.state.empty() ? std::nullopt : std::optional(r.state)), now,
        now + kRequestLifetimeMs}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return try_again(rows.error());
  co_return consent_page(ctx, r, handle);
}

Handler consent(Ctx& ctx) {
  auto parsed = parse_params(ctx.req.body);
  if (!parsed.ok()) co_return repeated_parameter_page(parsed.error());
  const Params& form = parsed.value();
  if (!ctx.principal.authenticated()) {
    co_return auth::message_page(401, "Sign in first",
                                 "Your session has ended, so this answer was not recorded. Start "
                                 "connecting again from the app.");
  }
  if (!auth::csrf_valid(auth::session_token(ctx.req), param(form, auth::kCsrfField))) {
    co_return auth::csrf_failed_page();
  }
  const std::string decision = param(form, kDecisionField);
  if (decision != "approve" && decision != "deny") {
    co_return auth::message_page(400, "Choose Approve or Deny",
                                 "The form did not say whether to approve or deny the app.");
  }
  auto pending = co_await take_pending(ctx, param(form, kRequestField));
  if (!pending.ok()) co_return try_again(pending.error());
  if (!pending.value() || pending.value()->expires_at <= util::now_ms()) {
    co_return auth::message_page(
        410, "Request already answered or expired",
        "This connection request was already answered, or it is more than 10 minutes old. "
        "Start connecting again from the app.");
  }
  const AuthorizeRequest& r = pending.value()->request;
  ctx.principal.actor_id = r.client.id;
  ctx.principal.client = r.client.name;

  if (decision == "deny") {
    (void)co_await audit::record(
        ctx, {.action = "oauth.deny", .status = 200, .detail = r.client.id.substr(0, 200)});
    co_return http::see_other(redirect_with(
        ctx, r.redirect_uri,
        {{"error", "access_denied"}, {"error_description", "the user denied the request"}},
        r.state));
  }
  const auto scopes = granted_scopes(r.scopes, form);
  auto code = co_await create_grant(ctx, r, scopes);
  if (!code.ok()) co_return try_again(code.error());
  co_return http::see_other(redirect_with(ctx, r.redirect_uri, {{"code", code.value()}}, r.state));
}

}  // namespace ve::oauth::handlers
