// GET /v1/sessions: the user's live browser sessions, newest first.
#include <boost/json.hpp>

#include "worker/account/device_summary.hpp"
#include "worker/account/handlers.hpp"
#include "worker/auth/session.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::account::handlers {

namespace {

namespace bj = boost::json;

bj::object session_json(const async::Rows& r, std::size_t i, const std::string& own) {
  const std::string id = store::text_or_empty(r, i, "id");
  const auto agent = store::text(r, i, "user_agent");
  const auto device = agent ? device_summary(*agent) : std::nullopt;
  const auto last_seen = store::integer(r, i, "last_seen_at");
  return bj::object{
      {"id", id},
      {"current", !own.empty() && id == own},
      {"user_agent", json::text_or_null(store::text(r, i, "user_agent"))},
      {"device", device ? bj::value(*device) : bj::value(nullptr)},
      {"ip", json::text_or_null(store::text(r, i, "ip"))},
      {"country", json::text_or_null(store::text(r, i, "country"))},
      {"created_at", json::iso_or_null(store::integer(r, i, "created_at"))},
      {"last_seen_at", json::iso_or_null(last_seen)},
      {"expires_at", json::iso_or_null(store::integer(r, i, "expires_at"))},
      {"idle_expires_at",
       json::iso_or_null(last_seen ? std::optional(*last_seen + auth::kSessionIdleMs)
                                   : std::nullopt)},
  };
}

}  // namespace

Handler list_sessions(Ctx& ctx) {
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT id, user_agent, ip, country, created_at, last_seen_at, expires_at FROM sessions "
       "WHERE user_id = ?1 AND expires_at > ?2 AND last_seen_at > ?3 "
       "ORDER BY created_at DESC, id",
       {ctx.principal.user_id, now, now - auth::kSessionIdleMs}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& r = rows.value()[0];
  bj::array sessions;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    sessions.push_back(session_json(r, i, ctx.principal.session_id));
  }
  co_return http::json(200, bj::object{{"sessions", std::move(sessions)}});
}

}  // namespace ve::account::handlers
