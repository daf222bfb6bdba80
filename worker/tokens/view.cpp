#include "worker/tokens/view.hpp"

#include <map>

#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::tokens {

namespace bj = boost::json;

using json::iso_or_null;

async::Task<Result<std::vector<TokenView>>> load_tokens(api::Ctx& ctx) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT t.id, t.name, t.rotation_type, t.created_at, t.last_used_at, "
       "t.paused_at, t.revoked_at, (SELECT MAX(c.expires_at) FROM "
       "scoped_token_credentials c WHERE c.token_id = t.id AND c.kind = 'access') AS "
       "current_expires_at FROM scoped_tokens t WHERE t.user_id = ?1 ORDER BY "
       "t.created_at DESC, t.id",
       {ctx.principal.user_id}});
  batch.push_back(
      {"SELECT sk.token_id, k.id, k.name FROM scoped_token_keys sk JOIN keys k ON "
       "k.id = sk.key_id WHERE k.user_id = ?1 ORDER BY k.name",
       {ctx.principal.user_id}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> keys;
  const auto& k = rows.value()[1];
  for (std::size_t i = 0; i < k.rows.size(); ++i) {
    keys[store::text_or_empty(k, i, "token_id")].emplace_back(store::text_or_empty(k, i, "id"),
                                                              store::text_or_empty(k, i, "name"));
  }
  const auto& t = rows.value()[0];
  std::vector<TokenView> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    TokenView v;
    v.id = store::text_or_empty(t, i, "id");
    v.name = store::text_or_empty(t, i, "name");
    v.rotation_type = store::text_or_empty(t, i, "rotation_type");
    v.created_at = store::integer(t, i, "created_at").value_or(0);
    v.last_used_at = store::integer(t, i, "last_used_at");
    v.paused_at = store::integer(t, i, "paused_at");
    v.revoked_at = store::integer(t, i, "revoked_at");
    v.current_expires_at = store::integer(t, i, "current_expires_at");
    v.allowed_keys = std::move(keys[v.id]);
    out.push_back(std::move(v));
  }
  co_return out;
}

bj::object token_json(const TokenView& t) {
  bj::array keys;
  for (const auto& [id, name] : t.allowed_keys)
    keys.push_back(bj::object{{"id", id}, {"name", name}});
  return {{"id", t.id},
          {"name", t.name},
          {"rotation_type", t.rotation_type},
          {"allowed_keys", std::move(keys)},
          {"created_at", util::iso8601(t.created_at)},
          {"last_used_at", iso_or_null(t.last_used_at)},
          {"paused_at", iso_or_null(t.paused_at)},
          {"revoked", t.revoked_at.has_value()},
          {"revoked_at", iso_or_null(t.revoked_at)},
          {"current_token_expires_at", iso_or_null(t.current_expires_at)},
          {"expires_at", iso_or_null(t.current_expires_at)}};
}

}  // namespace ve::tokens
