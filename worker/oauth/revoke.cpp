// RFC 7009 token revocation. Revoking a refresh token revokes its grant (every
// token issued under it, §2.1 "SHOULD also invalidate all access tokens based
// on the same authorization grant"); revoking an access token revokes that
// token. Unknown tokens are answered 200 like known ones (§2.2), so the
// endpoint tells nothing about which strings are tokens.
#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/http/reply.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/params.hpp"
#include "worker/oauth/server.hpp"
#include "worker/oauth/tokens.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth::handlers {

Handler revoke(Ctx& ctx) {
  if (auto refused = co_await over_limit(ctx, ratelimit::Endpoint::token)) {
    co_return std::move(*refused);
  }
  auto parsed = parse_params(ctx.req.body);
  if (!parsed.ok()) co_return error_response(400, "invalid_request", parsed.error().message);
  Params& form = parsed.value();
  const std::string& token = form["token"];
  if (token.empty()) {
    co_return error_response(400, "invalid_request",
                             "token is required (form-encoded: token=…&token_type_hint=…)");
  }
  const std::string hash = auth::credential_hash(token);
  std::vector<async::Statement> read;
  read.push_back(
      {"SELECT t.kind, g.id AS grant_id, g.user_id, g.client_id, g.client_name FROM "
       "oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id WHERE t.token_hash = ?1",
       {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(read));
  if (!rows.ok()) co_return error_response(503, "temporarily_unavailable", rows.error().message);
  const auto& r = rows.value()[0];
  if (r.rows.empty()) co_return http::Response{200, {{"cache-control", "no-store"}}, ""};
  const std::string client_id = store::text_or_empty(r, 0, "client_id");
  // Public clients identify themselves by client_id only; when one is sent it
  // must be the token's client (§2.1). Holding the token is proof enough to end it.
  if (!form["client_id"].empty() && form["client_id"] != client_id) {
    co_return error_response(
        400, "invalid_request",
        "this token was not issued to client_id " + form["client_id"].substr(0, 100));
  }
  const std::string grant_id = store::text_or_empty(r, 0, "grant_id");
  ctx.principal.kind = auth::Principal::Kind::oauth;
  ctx.principal.user_id = store::text_or_empty(r, 0, "user_id");
  ctx.principal.actor_id = client_id;
  ctx.principal.client = store::text_or_empty(r, 0, "client_name");
  ctx.principal.token_id = grant_id;
  const std::int64_t now = util::now_ms();
  const bool refresh = store::text_or_empty(r, 0, "kind") == "refresh";
  std::vector<async::Statement> batch;
  if (refresh) {
    batch = revoke_grant_statements(grant_id, "client", now);
  } else {
    batch.push_back(
        {"UPDATE oauth_tokens SET revoked_at = ?1 WHERE token_hash = ?2 AND "
         "revoked_at IS NULL",
         {now, hash}});
  }
  batch.push_back(
      audit::insert(ctx, {.action = "oauth.revoke",
                          .status = 200,
                          .detail = refresh ? "refresh token (whole grant)" : "access token"}));
  auto done = co_await ctx.io.d1_batch(std::move(batch));
  if (!done.ok()) co_return error_response(503, "temporarily_unavailable", done.error().message);
  co_return http::Response{200, {{"cache-control", "no-store"}}, ""};
}

}  // namespace ve::oauth::handlers
