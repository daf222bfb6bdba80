// Ending browser sessions: one by id, or every one but the caller's.
#include <boost/json.hpp>

#include "worker/account/handlers.hpp"
#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/cookies.hpp"
#include "worker/auth/session.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/http/reply.hpp"
#include "worker/util/time.hpp"

namespace ve::account::handlers {

namespace bj = boost::json;

Handler revoke_session(Ctx& ctx) {
  const std::string id = ctx.params[0];
  const std::string& user_id = ctx.principal.user_id;
  const std::int64_t now = util::now_ms();
  const std::int64_t idle_cutoff = now - auth::kSessionIdleMs;
  // The audit row is written only when the session is live and the user's, so
  // a refused revoke (unknown, foreign, dead id) leaves nothing behind.
  auto audit_row = auth::insert_only_if(
      audit::insert(ctx, {.action = "session.revoke", .status = 200, .detail = "session " + id}),
      "EXISTS (SELECT 1 FROM sessions WHERE id = ? AND user_id = ? AND expires_at > ? AND "
      "last_seen_at > ?)",
      {id, user_id, now, idle_cutoff});
  if (!audit_row) co_return http::error(Error{});
  std::vector<async::Statement> batch;
  batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"DELETE FROM sessions WHERE id = ?1 AND user_id = ?2 AND expires_at > ?3 AND "
       "last_seen_at > ?4",
       {id, user_id, now, idle_cutoff}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[1].changes != 1) {
    co_return http::error(
        not_found("no active session with id '" + id + "': reload the list of sessions"));
  }
  const bool current = id == ctx.principal.session_id;
  auto r = http::json(200, bj::object{{"id", id}, {"revoked", true}, {"current", current}});
  // The caller ended its own session: its cookie is now worthless, drop it too.
  if (current) r.headers.emplace_back("set-cookie", auth::clear_cookie(auth::kSessionCookie));
  co_return r;
}

Handler revoke_other_sessions(Ctx& ctx) {
  if (ctx.principal.session_id.empty()) {
    co_return http::error(session_required("Signing out the other browser sessions"));
  }
  const std::string& user_id = ctx.principal.user_id;
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  // Dead rows go first and uncounted: N is what the sessions page showed.
  batch.push_back(
      {"DELETE FROM sessions WHERE user_id = ?1 AND (expires_at <= ?2 OR "
       "last_seen_at <= ?3)",
       {user_id, now, now - auth::kSessionIdleMs}});
  batch.push_back({"DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2",
                   {user_id, ctx.principal.session_id}});
  batch.push_back(audit::insert(ctx, {.action = "session.revoke_others", .status = 200}));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  co_return http::json(200, bj::object{{"revoked", rows.value()[1].changes}});
}

}  // namespace ve::account::handlers
