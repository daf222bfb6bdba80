// The token endpoint (RFC 6749 §3.2): the authorization-code grant with PKCE
// (§4.1.3, RFC 7636 §4.6) and the refresh-token grant (§6) with rotation and
// reuse detection (OAuth 2.1 §4.3.1, RFC 6819 §5.2.2.3).
//
// Spending a code or refresh token and minting its successors is one D1 batch
// whose inserts all depend on the credential still being unspent, and whose
// last statement spends it: of two racing exchanges exactly one commits. A
// credential presented after it was spent is treated as stolen — the whole
// grant (every token issued from it) is revoked.
#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/pkce.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/crypto/sha256.hpp"
#include "worker/http/reply.hpp"
#include "worker/oauth/authorize_request.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/params.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"
#include "worker/oauth/tokens.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth::handlers {

namespace {

using Form = std::map<std::string, std::string>;

http::Response invalid_grant(std::string_view why) {
  return error_response(400, "invalid_grant", why);
}

/// The grant row fields every exchange checks, read beside the credential.
struct GrantRow {
  std::string id, user_id, client_id, client_name, scope, resource;
  bool revoked = false;
};

GrantRow grant_of(const async::Rows& r) {
  return {store::text_or_empty(r, 0, "grant_id"),
          store::text_or_empty(r, 0, "user_id"),
          store::text_or_empty(r, 0, "client_id"),
          store::text_or_empty(r, 0, "client_name"),
          store::text_or_empty(r, 0, "grant_scope"),
          store::text_or_empty(r, 0, "resource"),
          store::integer(r, 0, "grant_revoked_at").has_value()};
}

constexpr std::string_view kGrantColumns =
    "g.id AS grant_id, g.user_id, g.client_id, g.client_name, g.scope AS grant_scope, "
    "g.resource, g.revoked_at AS grant_revoked_at";

/// Audit rows of the token endpoint are written as the grant's client.
void act_as(Ctx& ctx, const GrantRow& g) {
  ctx.principal.kind = auth::Principal::Kind::oauth;
  ctx.principal.user_id = g.user_id;
  ctx.principal.actor_id = g.client_id;
  ctx.principal.client = g.client_name;
  ctx.principal.token_id = g.id;
}

/// Revokes the grant because one of its credentials was presented twice.
async::Task<http::Response> revoke_for_replay(Ctx& ctx, const GrantRow& g, std::string_view reason,
                                              std::string_view message) {
  act_as(ctx, g);
  auto batch = revoke_grant_statements(g.id, reason, util::now_ms());
  batch.push_back(audit::insert(
      ctx, {.action = "oauth." + std::string(reason), .status = 400, .detail = g.client_id}));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return error_response(503, "temporarily_unavailable", rows.error().message);
  co_return invalid_grant(message);
}

/// A resource parameter at the token endpoint must name the grant's (RFC 8707 §2.2).
bool resource_ok(Form& form, const GrantRow& g) {
  const std::string& r = form["resource"];
  return r.empty() || r == g.resource || r == g.resource + "/";
}

/// Runs the batch that spends a credential and mints a pair; the last statement
/// is the spend, whose `changes` says whether this exchange won.
async::Task<Result<bool>> spend_and_mint(Ctx& ctx, std::vector<async::Statement> batch) {
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  co_return rows.value().back().changes == 1;
}

async::Task<http::Response> code_grant(Ctx& ctx, Form& form) {
  for (const char* field : {"code", "redirect_uri", "code_verifier", "client_id"}) {
    if (form[field].empty()) {
      co_return error_response(
          400, "invalid_request",
          std::string(field) + " is required for grant_type=authorization_code");
    }
  }
  if (!is_pkce_string(form["code_verifier"])) {
    co_return error_response(400, "invalid_request",
                             "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ "
                             "(RFC 7636 §4.1)");
  }
  const std::string code_hash = auth::credential_hash(form["code"]);
  std::vector<async::Statement> read;
  read.push_back(
      {"SELECT c.client_id AS code_client_id, c.redirect_uri, c.code_challenge, "
       "c.expires_at, c.used_at, " +
           std::string(kGrantColumns) +
           " FROM oauth_codes c JOIN oauth_grants g ON g.id = c.grant_id "
           "WHERE c.code_hash = ?1",
       {code_hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(read));
  if (!rows.ok()) co_return error_response(503, "temporarily_unavailable", rows.error().message);
  const auto& r = rows.value()[0];
  if (r.rows.empty()) co_return invalid_grant("unknown authorization code");
  const GrantRow g = grant_of(r);
  if (store::integer(r, 0, "used_at")) {
    co_return co_await revoke_for_replay(
        ctx, g, "code_replay",
        "this authorization code was already used; every token issued from it is now revoked");
  }
  const std::int64_t now = util::now_ms();
  if (g.revoked) co_return invalid_grant("the grant behind this code was revoked");
  if (store::integer(r, 0, "expires_at").value_or(0) <= now) {
    co_return invalid_grant("the authorization code has expired (codes live 60 seconds)");
  }
  if (store::text_or_empty(r, 0, "code_client_id") != form["client_id"]) {
    co_return invalid_grant("the authorization code was issued to another client");
  }
  if (store::text_or_empty(r, 0, "redirect_uri") != form["redirect_uri"]) {
    co_return invalid_grant("redirect_uri differs from the one of the authorization request");
  }
  if (!resource_ok(form, g)) {
    co_return error_response(400, "invalid_target", "resource must be " + g.resource);
  }
  if (!crypto::equal_ct(auth::pkce_challenge(form["code_verifier"]),
                        store::text_or_empty(r, 0, "code_challenge"))) {
    // A wrong verifier means the code may be in the wrong hands: burn it.
    std::vector<async::Statement> burn;
    burn.push_back({"UPDATE oauth_codes SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL",
                    {now, code_hash}});
    (void)co_await ctx.io.d1_batch(std::move(burn));
    co_return invalid_grant("code_verifier does not match the code_challenge (PKCE S256)");
  }

  auto pair = new_pair(g.scope);
  if (!pair.ok()) co_return error_response(503, "temporarily_unavailable", pair.error().message);
  act_as(ctx, g);
  const std::string unspent =
      "EXISTS (SELECT 1 FROM oauth_codes WHERE code_hash = ? AND used_at IS NULL)";
  auto batch = insert_pair_if(g.id, pair.value(), now, unspent, {code_hash});
  batch.push_back(
      {"UPDATE oauth_grants SET activated_at = ?1, last_used_at = ?1 WHERE id = ?2 "
       "AND EXISTS (SELECT 1 FROM oauth_codes WHERE code_hash = ?3 AND used_at IS NULL)",
       {now, g.id, code_hash}});
  auto audit_row = auth::insert_only_if(
      audit::insert(ctx, {.action = "oauth.token", .status = 200, .detail = g.scope}), unspent,
      {code_hash});
  if (audit_row) batch.push_back(std::move(*audit_row));
  batch.push_back({"UPDATE oauth_codes SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL",
                   {now, code_hash}});
  auto won = co_await spend_and_mint(ctx, std::move(batch));
  if (!won.ok()) co_return error_response(503, "temporarily_unavailable", won.error().message);
  if (!won.value()) {
    co_return co_await revoke_for_replay(
        ctx, g, "code_replay",
        "this authorization code was used twice at once; every token issued from it is revoked");
  }
  co_return http::json(200, token_response(pair.value()));
}

async::Task<http::Response> refresh_grant(Ctx& ctx, Form& form) {
  for (const char* field : {"refresh_token", "client_id"}) {
    if (form[field].empty()) {
      co_return error_response(400, "invalid_request",
                               std::string(field) + " is required for grant_type=refresh_token");
    }
  }
  const std::string hash = auth::credential_hash(form["refresh_token"]);
  std::vector<async::Statement> read;
  read.push_back({"SELECT t.kind, t.scope, t.expires_at, t.used_at, t.revoked_at, " +
                      std::string(kGrantColumns) +
                      " FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id "
                      "WHERE t.token_hash = ?1",
                  {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(read));
  if (!rows.ok()) co_return error_response(503, "temporarily_unavailable", rows.error().message);
  const auto& r = rows.value()[0];
  if (r.rows.empty() || store::text_or_empty(r, 0, "kind") != "refresh") {
    co_return invalid_grant("unknown refresh token");
  }
  const GrantRow g = grant_of(r);
  if (g.client_id != form["client_id"]) {
    co_return invalid_grant("the refresh token was issued to another client");
  }
  if (g.revoked || store::integer(r, 0, "revoked_at")) {
    co_return invalid_grant("this refresh token was revoked: reconnect the app");
  }
  if (store::integer(r, 0, "used_at")) {
    co_return co_await revoke_for_replay(
        ctx, g, "refresh_reuse",
        "this refresh token was already used; as a precaution every token of this connection is "
        "now revoked: reconnect the app");
  }
  const std::int64_t now = util::now_ms();
  if (store::integer(r, 0, "expires_at").value_or(0) <= now) {
    co_return invalid_grant("the refresh token has expired: reconnect the app");
  }
  if (!resource_ok(form, g)) {
    co_return error_response(400, "invalid_target", "resource must be " + g.resource);
  }
  std::string scope = store::text_or_empty(r, 0, "scope");
  if (!form["scope"].empty()) {
    // RFC 6749 §6: a refresh may narrow the scope, never widen it.
    const auto held = split_scopes(scope);
    for (const auto& s : split_scopes(form["scope"])) {
      if (std::find(held.begin(), held.end(), s) == held.end()) {
        co_return error_response(
            400, "invalid_scope",
            "scope '" + s.substr(0, 64) + "' was not granted; the token has: " + scope);
      }
    }
    auto narrowed = parse_scope(form["scope"]);
    if (!narrowed.ok()) co_return error_response(400, "invalid_scope", narrowed.error().message);
    scope = join_scopes(narrowed.value());
  }

  auto pair = new_pair(scope);
  if (!pair.ok()) co_return error_response(503, "temporarily_unavailable", pair.error().message);
  act_as(ctx, g);
  const std::string unspent =
      "EXISTS (SELECT 1 FROM oauth_tokens WHERE token_hash = ? AND used_at IS NULL AND "
      "revoked_at IS NULL)";
  auto batch = insert_pair_if(g.id, pair.value(), now, unspent, {hash});
  batch.push_back(
      {"UPDATE oauth_grants SET rotation_count = rotation_count + 1, last_used_at = ?1 "
       "WHERE id = ?2 AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM oauth_tokens "
       "WHERE token_hash = ?3 AND used_at IS NULL AND revoked_at IS NULL)",
       {now, g.id, hash}});
  auto audit_row = auth::insert_only_if(
      audit::insert(ctx, {.action = "oauth.refresh", .status = 200, .detail = scope}), unspent,
      {hash});
  if (audit_row) batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"UPDATE oauth_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL "
       "AND revoked_at IS NULL",
       {now, hash}});
  auto won = co_await spend_and_mint(ctx, std::move(batch));
  if (!won.ok()) co_return error_response(503, "temporarily_unavailable", won.error().message);
  if (!won.value()) {
    co_return co_await revoke_for_replay(
        ctx, g, "refresh_reuse",
        "this refresh token was used twice at once; every token of this connection is revoked");
  }
  co_return http::json(200, token_response(pair.value()));
}

}  // namespace

Handler token(Ctx& ctx) {
  if (auto refused = co_await over_limit(ctx, ratelimit::Endpoint::token)) {
    co_return std::move(*refused);
  }
  auto parsed = parse_params(ctx.req.body);
  if (!parsed.ok()) co_return error_response(400, "invalid_request", parsed.error().message);
  Form& form = parsed.value();
  const std::string& grant_type = form["grant_type"];
  if (grant_type == "authorization_code") co_return co_await code_grant(ctx, form);
  if (grant_type == "refresh_token") co_return co_await refresh_grant(ctx, form);
  if (grant_type.empty()) {
    co_return error_response(400, "invalid_request",
                             "grant_type is required (send the form as "
                             "application/x-www-form-urlencoded)");
  }
  co_return error_response(400, "unsupported_grant_type",
                           "grant_type must be authorization_code or refresh_token");
}

}  // namespace ve::oauth::handlers
