// Creating, listing, pausing, resuming and revoking scoped tokens. A token
// holds its allowed keys as rows of scoped_token_keys, inserted by a SELECT
// from the user's own keys, so no other tenant's key can ever be allowed.
#include <boost/json.hpp>
#include <map>

#include "worker/audit/audit.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/tokens/credentials.hpp"
#include "worker/tokens/handlers.hpp"
#include "worker/tokens/view.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/key_store.hpp"

namespace ve::tokens::handlers {

namespace bj = boost::json;

namespace {
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxKeys = 50;

struct CreateRequest {
  std::string name;
  std::vector<std::string> refs;
  Rotation rotation = Rotation::static_;
};

Result<CreateRequest> parse_create(std::string_view body) {
  auto o = json::parse_object(body);
  if (!o.ok()) return o.error();
  CreateRequest r;
  auto name = json::required_string(o.value(), "name", kMaxName);
  if (!name.ok()) return name.error();
  r.name = std::move(name.value());
  auto refs = json::optional_string_array(o.value(), "allowed_keys", kMaxKeys, 256);
  if (!refs.ok()) return refs.error();
  if (!refs.value() || refs.value()->empty()) {
    return bad_request(
        "allowed_keys is required: an array of 1 to 50 key ids or names the token may use");
  }
  r.refs = std::move(*refs.value());
  auto rotation = json::optional_string(o.value(), "rotation_type", 16);
  if (!rotation.ok()) return rotation.error();
  if (rotation.value()) {
    auto parsed = parse_rotation(*rotation.value());
    if (!parsed) {
      return bad_request("rotation_type must be static, hourly, daily, weekly or monthly");
    }
    r.rotation = *parsed;
  }
  return r;
}

/// Resolves every reference to one of the user's keys (id, name or old name);
/// 400 naming the ones that match nothing.
async::Task<Result<std::map<std::string, std::string>>> resolve_keys(
    Ctx& ctx, const std::vector<std::string>& refs) {
  std::vector<async::Statement> batch;
  batch.reserve(refs.size());
  for (const auto& ref : refs) batch.push_back(vault::select_key(ctx.principal.user_id, ref));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  std::map<std::string, std::string> keys;  // id → name
  std::string unknown;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const auto& r = rows.value()[i];
    if (r.rows.empty()) {
      unknown += (unknown.empty() ? "" : ", ") + refs[i];
      continue;
    }
    keys[store::text_or_empty(r, 0, "id")] = store::text_or_empty(r, 0, "name");
  }
  if (!unknown.empty()) {
    co_return bad_request("allowed_keys names keys that do not exist: " + unknown +
                          " (list them with `apilocker list` or GET /v1/keys)");
  }
  co_return keys;
}

Error no_token(const std::string& id) {
  return not_found("no active scoped token with id '" + id.substr(0, 64) +
                   "': list them with GET /v1/tokens (`apilocker token list`)");
}

/// Pause or resume: sets or clears paused_at when it is not already so.
async::Task<http::Response> set_paused(Ctx& ctx, bool pause) {
  const std::string& id = ctx.params[0];
  const std::string& user = ctx.principal.user_id;
  const std::string live = "id = ? AND user_id = ? AND revoked_at IS NULL";
  const std::string other_state = pause ? " AND paused_at IS NULL" : " AND paused_at IS NOT NULL";
  auto audit_row = auth::insert_only_if(
      audit::insert(ctx, {.action = pause ? "token.pause" : "token.resume", .token_id = id}),
      "EXISTS (SELECT 1 FROM scoped_tokens WHERE " + live + other_state + ")", {id, user});
  if (!audit_row) co_return http::error(Error{});
  std::vector<async::Statement> batch;
  batch.push_back(std::move(*audit_row));
  batch.push_back({"UPDATE scoped_tokens SET paused_at = " + std::string(pause ? "?3" : "NULL") +
                       " WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL" + other_state,
                   pause ? std::vector<async::SqlValue>{id, user, util::now_ms()}
                         : std::vector<async::SqlValue>{id, user}});
  batch.push_back(
      {"SELECT id FROM scoped_tokens WHERE id = ?1 AND user_id = ?2 AND revoked_at IS "
       "NULL",
       {id, user}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[2].rows.empty()) co_return http::error(no_token(id));
  if (rows.value()[1].changes != 1) {
    co_return http::error(
        conflict(std::string("the token is already ") + (pause ? "paused" : "active")));
  }
  co_return http::json(200, bj::object{{"id", id}, {"paused", pause}});
}
}  // namespace

Handler create_token(Ctx& ctx) {
  auto req = parse_create(ctx.req.body);
  if (!req.ok()) co_return http::error(req.error());
  auto keys = co_await resolve_keys(ctx, req.value().refs);
  if (!keys.ok()) co_return http::error(keys.error());
  const std::int64_t now = util::now_ms();
  auto minted = mint(req.value().rotation, now);
  if (!minted.ok()) co_return http::error(minted.error());
  const std::string id = store::new_id("tok_");
  const std::string& user = ctx.principal.user_id;

  std::vector<async::Statement> batch;
  batch.push_back(
      {"INSERT INTO scoped_tokens (id, user_id, name, rotation_type, created_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5)",
       {id, user, req.value().name, std::string(rotation_name(req.value().rotation)), now}});
  // Only the user's own keys can be inserted (the SELECT is keyed by user_id).
  async::Statement allowed{
      "INSERT INTO scoped_token_keys (token_id, key_id) SELECT ?1, id FROM "
      "keys WHERE user_id = ?2 AND id IN (",
      {id, user}};
  std::size_t n = 3;
  for (const auto& [key_id, name] : keys.value()) {
    allowed.sql += (n == 3 ? "?" : ", ?") + std::to_string(n);
    ++n;
    allowed.params.emplace_back(key_id);
  }
  allowed.sql += ")";
  batch.push_back(std::move(allowed));
  for (auto& s : insert_credentials_if(id, minted.value(), req.value().rotation, now, "1", {})) {
    batch.push_back(std::move(s));
  }
  batch.push_back(audit::insert(
      ctx, {.action = "token.create", .status = 201, .token_id = id, .detail = req.value().name}));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());

  bj::array allowed_keys;
  for (const auto& [key_id, name] : keys.value()) {
    allowed_keys.push_back(bj::object{{"id", key_id}, {"name", name}});
  }
  const Minted& m = minted.value();
  const bj::value expires =
      m.access_expires_at ? bj::value(util::iso8601(*m.access_expires_at)) : bj::value(nullptr);
  bj::object out{{"id", id},
                 {"name", req.value().name},
                 {"rotation_type", rotation_name(req.value().rotation)},
                 {"allowed_keys", std::move(allowed_keys)},
                 {"token", m.access},
                 {"access_token", m.access},
                 {"expires_at", expires},
                 {"created_at", util::iso8601(now)}};
  if (!m.refresh.empty()) out["refresh_token"] = m.refresh;
  co_return http::json(201, out);
}

Handler list_tokens(Ctx& ctx) {
  auto tokens = co_await load_tokens(ctx);
  if (!tokens.ok()) co_return http::error(tokens.error());
  bj::array list;
  for (const auto& t : tokens.value()) list.push_back(token_json(t));
  co_return http::json(200, bj::object{{"tokens", std::move(list)}});
}

Handler pause_token(Ctx& ctx) {
  co_return co_await set_paused(ctx, true);
}

Handler resume_token(Ctx& ctx) {
  co_return co_await set_paused(ctx, false);
}

Handler revoke_token(Ctx& ctx) {
  const std::string& id = ctx.params[0];
  const std::string& user = ctx.principal.user_id;
  auto audit_row = auth::insert_only_if(
      audit::insert(ctx, {.action = "token.revoke", .token_id = id}),
      "EXISTS (SELECT 1 FROM scoped_tokens WHERE id = ? AND user_id = ? AND revoked_at IS NULL)",
      {id, user});
  if (!audit_row) co_return http::error(Error{});
  std::vector<async::Statement> batch;
  batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"UPDATE scoped_tokens SET revoked_at = ?3, revoked_reason = 'user' WHERE id = "
       "?1 AND user_id = ?2 AND revoked_at IS NULL",
       {id, user, util::now_ms()}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[1].changes != 1) co_return http::error(no_token(id));
  co_return http::json(200, bj::object{{"id", id}, {"revoked", true}});
}

}  // namespace ve::tokens::handlers
