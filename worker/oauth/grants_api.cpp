// Connected apps: the user's active OAuth grants, as API Locker's
// `/v1/oauth/grants` (the `apilocker oauth grants` commands read these fields).
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/redirect_uri.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/tokens.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth::handlers {

namespace bj = boost::json;

Handler list_grants(Ctx& ctx) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT id, client_id, client_name, redirect_uri, scope, resource, created_at, "
       "activated_at, last_used_at, rotation_count FROM oauth_grants WHERE user_id = ?1 "
       "AND revoked_at IS NULL AND activated_at IS NOT NULL ORDER BY created_at DESC",
       {ctx.principal.user_id}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& r = rows.value()[0];
  bj::array grants;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    bj::array scopes;
    for (const auto& s : split_scopes(store::text_or_empty(r, i, "scope"))) scopes.emplace_back(s);
    const auto created = store::integer(r, i, "created_at");
    const auto last = store::integer(r, i, "last_used_at");
    grants.push_back(bj::object{
        {"id", store::text_or_empty(r, i, "id")},
        {"client_id", store::text_or_empty(r, i, "client_id")},
        {"client_name", store::text_or_empty(r, i, "client_name")},
        {"redirect_host", redirect_display(store::text_or_empty(r, i, "redirect_uri"))},
        {"scopes", std::move(scopes)},
        {"resource", store::text_or_empty(r, i, "resource")},
        {"authorized_at", json::iso_or_null(created)},
        {"last_active_at", json::iso_or_null(last ? last : created)},
        {"rotation_count", store::integer(r, i, "rotation_count").value_or(0)},
    });
  }
  co_return http::json(200, bj::object{{"grants", std::move(grants)}});
}

Handler revoke_grant(Ctx& ctx) {
  const std::string& id = ctx.params[0];
  std::vector<async::Statement> read;
  read.push_back(
      {"SELECT client_id, client_name FROM oauth_grants WHERE id = ?1 AND user_id = ?2 "
       "AND revoked_at IS NULL",
       {id, ctx.principal.user_id}});
  auto found = co_await ctx.io.d1_batch(std::move(read));
  if (!found.ok()) co_return http::error(found.error());
  if (found.value()[0].rows.empty()) {
    co_return http::error(not_found("no active grant with id '" + id.substr(0, 64) +
                                    "': list them with GET /v1/oauth/grants"));
  }
  const std::string client_name = store::text_or_empty(found.value()[0], 0, "client_name");
  auto batch = revoke_grant_statements(id, "user", util::now_ms());
  // Scoped to the user in the same transaction: the grant is revoked only if it is theirs.
  batch[0].sql += " AND grant_id IN (SELECT id FROM oauth_grants WHERE user_id = ?3)";
  batch[0].params.emplace_back(ctx.principal.user_id);
  batch[1].sql += " AND user_id = ?4";
  batch[1].params.emplace_back(ctx.principal.user_id);
  batch.push_back(audit::insert(
      ctx, {.action = "oauth.grant_revoke", .status = 200, .token_id = id, .detail = client_name}));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  co_return http::json(200, bj::object{{"revoked", rows.value()[1].changes == 1},
                                       {"id", id},
                                       {"tokens_revoked", rows.value()[0].changes}});
}

}  // namespace ve::oauth::handlers
