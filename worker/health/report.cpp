#include "worker/health/report.hpp"

#include "worker/store/rows.hpp"

namespace ve::health {

async::Task<Result<Facts>> gather(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT id, name, created_at, rotated_at, paused_at, last_used_at FROM keys "
       "WHERE user_id = ?1 ORDER BY created_at, name",
       {user}});
  batch.push_back(
      {"SELECT id, name, created_at, last_used_at FROM devices WHERE user_id = ?1 AND "
       "revoked_at IS NULL ORDER BY created_at DESC, id",
       {user}});
  // The current credential's expiry is that of the newest access credential.
  batch.push_back(
      {"SELECT t.id AS id, t.name AS name, t.rotation_type AS rotation_type, t.created_at AS "
       "created_at, t.last_used_at AS last_used_at, t.paused_at AS paused_at, (SELECT "
       "MAX(c.expires_at) FROM scoped_token_credentials c WHERE c.token_id = t.id AND c.kind = "
       "'access') AS expires_at FROM scoped_tokens t WHERE t.user_id = ?1 AND t.revoked_at IS "
       "NULL ORDER BY t.created_at DESC, t.id",
       {user}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& k = rows.value()[0];
  const auto& d = rows.value()[1];
  const auto& t = rows.value()[2];

  // A device master token's device is "this connection's" (a browser session has none).
  const std::string own =
      ctx.principal.kind == auth::Principal::Kind::master ? ctx.principal.actor_id : "";
  Facts f;
  for (std::size_t i = 0; i < k.rows.size(); ++i) {
    f.keys.push_back({store::text_or_empty(k, i, "id"), store::text_or_empty(k, i, "name"),
                      store::integer(k, i, "created_at").value_or(0),
                      store::integer(k, i, "rotated_at"), store::integer(k, i, "paused_at"),
                      store::integer(k, i, "last_used_at")});
  }
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    std::string id = store::text_or_empty(d, i, "id");
    const bool current = !own.empty() && id == own;
    f.devices.push_back({std::move(id), store::text_or_empty(d, i, "name"),
                         store::integer(d, i, "created_at"), store::integer(d, i, "last_used_at"),
                         current});
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    f.tokens.push_back({store::text_or_empty(t, i, "id"), store::text_or_empty(t, i, "name"),
                        store::text_or_empty(t, i, "rotation_type"),
                        store::integer(t, i, "created_at").value_or(0),
                        store::integer(t, i, "last_used_at"), store::integer(t, i, "paused_at"),
                        store::integer(t, i, "expires_at")});
  }
  co_return f;
}

async::Task<Result<boost::json::object>> vault_report(api::Ctx& ctx, const Thresholds& t,
                                                      FixField fixes) {
  auto facts = co_await gather(ctx);
  if (!facts.ok()) co_return facts.error();
  const auto& f = facts.value();
  co_return report(f.keys, f.devices, f.tokens, util::now_ms(), t, fixes);
}

}  // namespace ve::health
