// Read-only routes: the provider catalog, the key list, one key's metadata.
#include <boost/json.hpp>
#include <map>

#include "worker/http/reply.hpp"
#include "worker/store/rows.hpp"
#include "worker/vault/handlers.hpp"
#include "worker/vault/key_store.hpp"
#include "worker/vault/key_view.hpp"
#include "worker/vault/providers.hpp"

namespace ve::vault {

namespace bj = boost::json;

async::Task<http::Response> list_providers(api::Ctx&) {
  co_return http::json(200, catalog_json());
}

async::Task<http::Response> list_keys(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  std::vector<async::Statement> batch;
  batch.push_back(select_keys(user));
  batch.push_back(select_aliases(user));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& keys = rows.value()[0];
  const auto& aliases = rows.value()[1];

  std::map<std::string, std::vector<std::string>> names_by_key;
  for (std::size_t i = 0; i < aliases.rows.size(); ++i) {
    names_by_key[store::text_or_empty(aliases, i, "key_id")].push_back(
        store::text_or_empty(aliases, i, "name"));
  }
  bj::array list;
  for (std::size_t i = 0; i < keys.rows.size(); ++i) {
    KeyRecord k = read_key(keys, i);
    if (!ctx.principal.may_use_key(k.id)) continue;
    list.emplace_back(key_summary(k, names_by_key[k.id], ctx.req.origin));
  }
  co_return http::json(200, bj::object{{"keys", std::move(list)}});
}

async::Task<http::Response> get_key(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  const std::string& ref = ctx.params[0];
  std::vector<async::Statement> batch;
  batch.push_back(select_key(user, ref));
  batch.push_back(select_aliases(user, ref));
  batch.push_back(select_versions(user, ref));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[0].rows.empty()) co_return http::error(key_not_found(ref));

  KeyRecord k = read_key(rows.value()[0], 0);
  // A key outside a scoped token's allowed_keys does not exist for it.
  if (!ctx.principal.may_use_key(k.id)) co_return http::error(key_not_found(ref));
  std::vector<std::string> aliases;
  for (std::size_t i = 0; i < rows.value()[1].rows.size(); ++i) {
    aliases.push_back(store::text_or_empty(rows.value()[1], i, "name"));
  }
  std::vector<VersionRecord> versions;
  for (std::size_t i = 0; i < rows.value()[2].rows.size(); ++i) {
    versions.push_back(read_version(rows.value()[2], i));
  }
  co_return http::json(200, key_detail(k, aliases, versions, ctx.req.origin));
}

}  // namespace ve::vault
