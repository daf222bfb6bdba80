// Connected apps: the user's active OAuth grants, as API Locker's
// `/v1/oauth/grants` (the `apilocker oauth grants` commands read these fields),
// plus what the dashboard's Apps page shows: how the client identified itself,
// the scopes in the consent page's words, and when it was approved and used.
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/oauth/clients.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/redirect_uri.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/tokens.hpp"
#include "worker/oauth/uri.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth::handlers {

namespace bj = boost::json;

namespace {

/// "metadata_document" for a Client ID Metadata Document URL (its host is
/// where the document was fetched from, over TLS), else "registered" (RFC 7591).
bj::object client_identity(const std::string& client_id) {
  const bool document = is_metadata_url(client_id);
  bj::value host = nullptr;
  if (document) {
    if (auto uri = parse_uri(client_id)) host = bj::string(uri->host);
  }
  return {{"client_kind", document ? "metadata_document" : "registered"},
          {"verified_host", std::move(host)}};
}

}  // namespace

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
    bj::array described;
    for (const auto& s : split_scopes(store::text_or_empty(r, i, "scope"))) {
      described.push_back(bj::object{{"scope", s}, {"description", scope_summary(s)}});
      scopes.emplace_back(s);
    }
    const auto created = store::integer(r, i, "created_at");
    const auto last = store::integer(r, i, "last_used_at");
    const std::string client_id = store::text_or_empty(r, i, "client_id");
    bj::object grant{
        {"id", store::text_or_empty(r, i, "id")},
        {"client_id", client_id},
        {"client_name", store::text_or_empty(r, i, "client_name")},
        {"redirect_host", redirect_display(store::text_or_empty(r, i, "redirect_uri"))},
        {"scopes", std::move(scopes)},
        {"scopes_described", std::move(described)},
        {"resource", store::text_or_empty(r, i, "resource")},
        {"authorized_at", json::iso_or_null(created)},
        {"approved_at", json::iso_or_null(created)},
        {"last_active_at", json::iso_or_null(last ? last : created)},
        {"last_used_at", json::iso_or_null(last)},
        {"rotation_count", store::integer(r, i, "rotation_count").value_or(0)},
    };
    for (auto& [k, v] : client_identity(client_id)) grant[k] = std::move(v);
    grants.push_back(std::move(grant));
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
