#include "worker/oauth/tokens.hpp"

#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/crypto/random.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"
#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth {

namespace {
constexpr std::int64_t kLastUsedGranularityMs = 60'000;

Error invalid_token(std::string message) {
  return {401, "invalid_token", std::move(message)};
}

async::Statement insert_token_if(const std::string& grant_id, std::string_view kind,
                                 const std::string& token, const std::string& scope,
                                 std::int64_t now, std::int64_t lifetime_s,
                                 const std::string& condition,
                                 const std::vector<async::SqlValue>& params) {
  async::Statement s{
      "INSERT INTO oauth_tokens (token_hash, kind, grant_id, scope, created_at, "
      "expires_at) SELECT ?, ?, ?, ?, ?, ? WHERE " +
          condition,
      {auth::credential_hash(token), std::string(kind), grant_id, scope, now,
       now + lifetime_s * 1000}};
  s.params.insert(s.params.end(), params.begin(), params.end());
  return s;
}
}  // namespace

async::Task<Result<std::string>> create_grant(api::Ctx& ctx, const AuthorizeRequest& r,
                                              const std::vector<std::string>& scopes) {
  const std::string code = crypto::random_token(kCodePrefix);
  if (code.empty()) co_return unavailable("no randomness available");
  const std::string grant_id = store::new_uuid();
  const std::string scope = join_scopes(scopes);
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(
      {"INSERT INTO oauth_grants (id, user_id, client_id, client_name, redirect_uri, "
       "scope, resource, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
       {grant_id, ctx.principal.user_id, r.client.id, r.client.name, r.redirect_uri, scope,
        r.resource, now}});
  batch.push_back(
      {"INSERT INTO oauth_codes (code_hash, grant_id, client_id, redirect_uri, "
       "code_challenge, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
       {auth::credential_hash(code), grant_id, r.client.id, r.redirect_uri, r.code_challenge, now,
        now + kCodeLifetimeMs}});
  batch.push_back(audit::insert(
      ctx, {.action = "oauth.approve", .status = 200, .token_id = grant_id, .detail = scope}));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  co_return code;
}

Result<TokenPair> new_pair(std::string scope) {
  TokenPair p{crypto::random_token(kAccessPrefix), crypto::random_token(kRefreshPrefix),
              std::move(scope)};
  if (p.access.empty() || p.refresh.empty()) return unavailable("no randomness available");
  return p;
}

std::vector<async::Statement> insert_pair_if(const std::string& grant_id, const TokenPair& pair,
                                             std::int64_t now, const std::string& condition,
                                             const std::vector<async::SqlValue>& params) {
  return {insert_token_if(grant_id, "access", pair.access, pair.scope, now, kAccessLifetimeS,
                          condition, params),
          insert_token_if(grant_id, "refresh", pair.refresh, pair.scope, now, kRefreshLifetimeS,
                          condition, params)};
}

boost::json::object token_response(const TokenPair& pair) {
  return {{"access_token", pair.access},
          {"token_type", "Bearer"},
          {"expires_in", kAccessLifetimeS},
          {"refresh_token", pair.refresh},
          {"scope", pair.scope}};
}

std::vector<async::Statement> revoke_grant_statements(const std::string& grant_id,
                                                      std::string_view reason, std::int64_t now) {
  return {{"UPDATE oauth_tokens SET revoked_at = ?1 WHERE grant_id = ?2 AND revoked_at IS NULL "
           "AND expires_at > ?1 AND used_at IS NULL",
           {now, grant_id}},
          {"UPDATE oauth_grants SET revoked_at = ?1, revoked_reason = ?2 WHERE id = ?3 AND "
           "revoked_at IS NULL",
           {now, std::string(reason), grant_id}}};
}

async::Task<Result<auth::Principal>> access_token_principal(api::Ctx& ctx, std::string_view token) {
  const std::string hash = auth::credential_hash(token);
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(
      {"UPDATE oauth_grants SET last_used_at = ?1 WHERE id = (SELECT grant_id FROM "
       "oauth_tokens WHERE token_hash = ?2 AND kind = 'access' AND revoked_at IS NULL "
       "AND expires_at > ?1) AND revoked_at IS NULL AND (last_used_at IS NULL OR "
       "last_used_at < ?3)",
       {now, hash, now - kLastUsedGranularityMs}});
  batch.push_back(
      {"SELECT t.scope, t.expires_at, t.revoked_at, g.id AS grant_id, g.user_id, "
       "g.client_id, g.client_name, g.resource, g.revoked_at AS grant_revoked_at, "
       "u.email FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id "
       "JOIN users u ON u.id = g.user_id WHERE t.token_hash = ?1 AND t.kind = 'access'",
       {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& r = rows.value()[1];
  if (r.rows.empty()) co_return invalid_token("unknown access token");
  if (store::integer(r, 0, "revoked_at") || store::integer(r, 0, "grant_revoked_at")) {
    co_return invalid_token("this access token was revoked: reconnect the app to get a new one");
  }
  if (store::integer(r, 0, "expires_at").value_or(0) <= now) {
    co_return invalid_token("this access token has expired: refresh it at the token endpoint");
  }
  const std::string resource = store::text_or_empty(r, 0, "resource");
  if (ctx.req.path != kMcpPath || resource != mcp_resource(ctx.req)) {
    co_return invalid_token("this access token is valid only at " + resource +
                            " (RFC 8707 audience); it cannot be used here");
  }
  auth::Principal p;
  p.kind = auth::Principal::Kind::oauth;
  p.user_id = store::text_or_empty(r, 0, "user_id");
  p.email = store::text_or_empty(r, 0, "email");
  p.actor_id = store::text_or_empty(r, 0, "client_id");
  p.client = store::text_or_empty(r, 0, "client_name");
  p.token_id = store::text_or_empty(r, 0, "grant_id");
  p.scopes = split_scopes(store::text_or_empty(r, 0, "scope"));
  co_return p;
}

}  // namespace ve::oauth
