#include "worker/oauth/document_cache.hpp"

#include <boost/json.hpp>

#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth {

namespace bj = boost::json;

async::Task<Result<std::optional<Client>>> cached_document(api::Ctx& ctx, const std::string& url) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT url AS id, client_name, client_uri, logo_uri, redirect_uris, software_id, "
       "software_version FROM oauth_client_documents WHERE url = ?1 AND expires_at > ?2",
       {url, util::now_ms()}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& r = rows.value()[0];
  if (r.rows.empty()) co_return std::optional<Client>{};
  Client c = client_from_row(r);
  c.from_document = true;
  c.software_id = store::text(r, 0, "software_id").value_or("");
  c.software_version = store::text(r, 0, "software_version").value_or("");
  // A row without redirect URIs cannot have been stored by store_document:
  // treat it as absent, so the document is fetched again.
  if (c.redirect_uris.empty()) co_return std::optional<Client>{};
  co_return std::optional<Client>(std::move(c));
}

async::Task<Result<void>> store_document(api::Ctx& ctx, const Client& c, std::int64_t lifetime_ms) {
  bj::array uris;
  for (const auto& u : c.redirect_uris) uris.emplace_back(u);
  auto opt = [](const std::string& v) {
    return store::nullable(v.empty() ? std::nullopt : std::optional(v));
  };
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(
      {"INSERT INTO oauth_client_documents (url, client_name, client_uri, logo_uri, "
       "redirect_uris, software_id, software_version, fetched_at, expires_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (url) DO UPDATE SET "
       "client_name = excluded.client_name, client_uri = excluded.client_uri, "
       "logo_uri = excluded.logo_uri, redirect_uris = excluded.redirect_uris, "
       "software_id = excluded.software_id, software_version = excluded.software_version, "
       "fetched_at = excluded.fetched_at, expires_at = excluded.expires_at",
       {c.id, c.name, opt(c.client_uri), opt(c.logo_uri), json::dump(uris), opt(c.software_id),
        opt(c.software_version), now, now + lifetime_ms}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  co_return Result<void>();
}

}  // namespace ve::oauth
