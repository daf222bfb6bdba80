// POST /v1/tokens/refresh {refresh_token}: rotates a scoped token's credentials;
// the access credential it replaces stops working at once.
// The refresh credential is spent by the same batch that inserts its
// successors (which are inserted only while it is unspent), so of two racing
// refreshes one wins; a spent credential presented again — a copy in the
// wrong hands, or the loser of such a race — revokes the whole token.
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/tokens/credentials.hpp"
#include "worker/tokens/handlers.hpp"
#include "worker/util/time.hpp"

namespace ve::tokens::handlers {

namespace bj = boost::json;

namespace {
Error invalid(std::string message) {
  return {401, "invalid_token", std::move(message)};
}

async::Task<http::Response> revoke_for_reuse(Ctx& ctx, const std::string& token_id) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"UPDATE scoped_tokens SET revoked_at = ?1, revoked_reason = 'refresh_reuse' "
       "WHERE id = ?2 AND revoked_at IS NULL",
       {util::now_ms(), token_id}});
  batch.push_back(audit::insert(ctx, {.action = "token.refresh_reuse", .status = 401}));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  co_return http::error(invalid(
      "this refresh token was already used: as a precaution the scoped token is now revoked; "
      "create a new one"));
}
}  // namespace

Handler refresh_token(Ctx& ctx) {
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto presented = json::required_string(body.value(), "refresh_token", 256);
  if (!presented.ok()) co_return http::error(presented.error());
  const std::string hash = auth::credential_hash(presented.value());
  std::vector<async::Statement> read;
  read.push_back(
      {"SELECT t.id, t.user_id, t.name, t.rotation_type, t.paused_at, t.revoked_at, "
       "c.expires_at, c.used_at FROM scoped_token_credentials c JOIN scoped_tokens t "
       "ON t.id = c.token_id WHERE c.hash = ?1 AND c.kind = 'refresh'",
       {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(read));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& r = rows.value()[0];
  if (r.rows.empty()) co_return http::error(invalid("unknown refresh token"));
  const std::string id = store::text_or_empty(r, 0, "id");
  ctx.principal.kind = auth::Principal::Kind::scoped;
  ctx.principal.user_id = store::text_or_empty(r, 0, "user_id");
  ctx.principal.actor_id = id;
  ctx.principal.token_id = id;
  ctx.principal.client = store::text_or_empty(r, 0, "name");
  if (store::integer(r, 0, "revoked_at")) {
    co_return http::error(invalid("the scoped token was revoked"));
  }
  if (store::integer(r, 0, "used_at")) co_return co_await revoke_for_reuse(ctx, id);
  const std::int64_t now = util::now_ms();
  if (store::integer(r, 0, "expires_at").value_or(0) <= now) {
    co_return http::error(invalid("the refresh token has expired: create a new scoped token"));
  }
  if (store::integer(r, 0, "paused_at")) {
    co_return http::error(
        Error{403, "token_paused", "the scoped token is paused: resume it first"});
  }
  auto rotation = parse_rotation(store::text_or_empty(r, 0, "rotation_type"));
  if (!rotation || !access_lifetime_ms(*rotation)) {
    co_return http::error(bad_request("a static token has nothing to refresh"));
  }
  auto minted = mint(*rotation, now);
  if (!minted.ok()) co_return http::error(minted.error());
  const std::string unspent =
      "EXISTS (SELECT 1 FROM scoped_token_credentials WHERE hash = ? AND used_at IS NULL)";
  // The access credential being replaced ends now, not at its own expiry (up to
  // 30 days away): a refresh is also how a holder cuts off a leaked copy. Only
  // while the refresh credential is unspent, so a losing racer cannot end the
  // winner's new credential; before the insert, so the new one is untouched.
  std::vector<async::Statement> batch;
  batch.push_back(
      {"UPDATE scoped_token_credentials SET expires_at = ?1 WHERE token_id = ?2 AND kind = "
       "'access' AND (expires_at IS NULL OR expires_at > ?1) AND EXISTS (SELECT 1 FROM "
       "scoped_token_credentials WHERE hash = ?3 AND used_at IS NULL)",
       {now, id, hash}});
  for (auto& s : insert_credentials_if(id, minted.value(), *rotation, now, unspent, {hash})) {
    batch.push_back(std::move(s));
  }
  auto audit_row =
      auth::insert_only_if(audit::insert(ctx, {.action = "token.refresh"}), unspent, {hash});
  if (audit_row) batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"UPDATE scoped_token_credentials SET used_at = ?1 WHERE hash = ?2 AND used_at "
       "IS NULL",
       {now, hash}});
  auto done = co_await ctx.io.d1_batch(std::move(batch));
  if (!done.ok()) co_return http::error(done.error());
  if (done.value().back().changes != 1) co_return co_await revoke_for_reuse(ctx, id);
  const Minted& m = minted.value();
  co_return http::json(200, bj::object{{"id", id},
                                       {"rotation_type", rotation_name(*rotation)},
                                       {"token", m.access},
                                       {"access_token", m.access},
                                       {"refresh_token", m.refresh},
                                       {"expires_at", util::iso8601(*m.access_expires_at)}});
}

}  // namespace ve::tokens::handlers
