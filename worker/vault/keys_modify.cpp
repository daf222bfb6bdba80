// Metadata changes: rename, pause, resume, delete. Each reads the key, then
// commits one guarded D1 batch holding the change and its audit row.
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/guard.hpp"
#include "worker/vault/handlers.hpp"
#include "worker/vault/key_store.hpp"
#include "worker/vault/key_view.hpp"
#include "worker/vault/validate.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

std::string label(const KeyRecord& k) {
  return "key '" + k.name + "'";
}

async::Statement key_missing_guard(const std::string& user, const std::string& key_id) {
  return abort_if(Guard::key_missing,
                  "NOT EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND id = ?2)", {user, key_id});
}

/// Pause (paused = true) or resume.
async::Task<http::Response> set_paused(api::Ctx& ctx, bool paused) {
  const std::string& user = ctx.principal.user_id;
  auto body = json::parse_object(ctx.req.body);  // empty or `{}`; anything else is a mistake
  if (!body.ok()) co_return http::error(body.error());
  auto key = co_await load_key(ctx, ctx.params[0]);
  if (!key.ok()) co_return http::error(key.error());
  const KeyRecord& k = key.value();
  if (paused == k.paused_at.has_value()) {
    co_return http::error(conflict(label(k) + (paused ? " is already paused" : " is not paused"),
                                   paused ? "already_paused" : "not_paused"));
  }
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(key_missing_guard(user, k.id));
  batch.push_back(abort_if(Guard::state,
                           paused ? "EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND id = ?2 AND "
                                    "paused_at IS NOT NULL)"
                                  : "EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND id = ?2 AND "
                                    "paused_at IS NULL)",
                           {user, k.id}));
  batch.push_back({"UPDATE keys SET paused_at = ?3 WHERE user_id = ?1 AND id = ?2",
                   {user, k.id, paused ? async::SqlValue(now) : async::SqlValue()}});
  batch.push_back(
      audit::insert(ctx, {paused ? "key.pause" : "key.resume", 200, k.id, k.name, {}, {}}));
  auto committed = co_await ctx.io.d1_batch(std::move(batch));
  if (!committed.ok()) {
    auto g = tripped_guard(committed.error());
    if (g && *g == Guard::state) {
      co_return http::error(conflict(label(k) + (paused ? " is already paused" : " is not paused"),
                                     paused ? "already_paused" : "not_paused"));
    }
    co_return http::error(batch_failure(committed.error(), label(k)));
  }
  bj::object out;
  out["id"] = k.id;
  out["name"] = k.name;
  out["paused"] = paused;
  out["paused_at"] = paused ? bj::value(util::iso8601(now)) : bj::value(nullptr);
  co_return http::json(200, out);
}

}  // namespace

async::Task<http::Response> rename_key(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto requested = json::required_string(body.value(), "new_name", kMaxNameBytes);
  if (!requested.ok()) co_return http::error(requested.error());
  auto new_name = check_name(requested.value(), "new_name");
  if (!new_name.ok()) co_return http::error(new_name.error());
  auto key = co_await load_key(ctx, ctx.params[0]);
  if (!key.ok()) co_return http::error(key.error());
  const KeyRecord& k = key.value();

  bj::object out;
  out["id"] = k.id;
  out["name"] = new_name.value();
  out["previous_name"] = k.name;
  if (new_name.value() == k.name) {
    out["renamed"] = false;
    co_return http::json(200, out);
  }

  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(key_missing_guard(user, k.id));
  batch.push_back(abort_if(Guard::key_changed,
                           "NOT EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND id = ?2 AND "
                           "name = ?3)",
                           {user, k.id, k.name}));
  batch.push_back(abort_if(Guard::name_taken, kNameTakenCondition, {user, new_name.value(), k.id}));
  // Renaming back to one of its own old names: that name stops being an alias.
  batch.push_back({"DELETE FROM key_aliases WHERE user_id = ?1 AND key_id = ?2 AND name = ?3",
                   {user, k.id, new_name.value()}});
  batch.push_back(
      {"INSERT INTO key_aliases (user_id, name, key_id, created_at) "
       "VALUES (?1, ?2, ?3, ?4)",
       {user, k.name, k.id, now}});
  batch.push_back(
      {"UPDATE keys SET name = ?3 WHERE user_id = ?1 AND id = ?2", {user, k.id, new_name.value()}});
  batch.push_back(audit::insert(
      ctx, {"key.rename", 200, k.id, new_name.value(), {}, "renamed from " + k.name}));
  auto committed = co_await ctx.io.d1_batch(std::move(batch));
  if (!committed.ok()) {
    co_return http::error(batch_failure(committed.error(), label(k), new_name.value()));
  }
  out["renamed"] = true;
  co_return http::json(200, out);
}

async::Task<http::Response> pause_key(api::Ctx& ctx) {
  return set_paused(ctx, true);
}

async::Task<http::Response> resume_key(api::Ctx& ctx) {
  return set_paused(ctx, false);
}

async::Task<http::Response> delete_key(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  auto key = co_await load_key(ctx, ctx.params[0]);
  if (!key.ok()) co_return http::error(key.error());
  const KeyRecord& k = key.value();

  std::vector<async::Statement> batch;
  batch.push_back(key_missing_guard(user, k.id));
  batch.push_back({"DELETE FROM key_aliases WHERE user_id = ?1 AND key_id = ?2", {user, k.id}});
  batch.push_back({"DELETE FROM key_versions WHERE user_id = ?1 AND key_id = ?2 RETURNING blob_key",
                   {user, k.id}});
  batch.push_back({"DELETE FROM keys WHERE user_id = ?1 AND id = ?2", {user, k.id}});
  batch.push_back(audit::insert(ctx, {"key.delete", 200, k.id, k.name, {}, {}}));
  auto committed = co_await ctx.io.d1_batch(std::move(batch));
  if (!committed.ok()) co_return http::error(batch_failure(committed.error(), label(k)));

  // The rows are gone: now the blobs may go (a failure leaves them unreferenced).
  std::vector<async::Effect> deletes;
  const auto& versions = committed.value()[2];
  for (std::size_t i = 0; i < versions.rows.size(); ++i) {
    deletes.emplace_back(async::KvDelete{store::text_or_empty(versions, i, "blob_key")});
  }
  if (!deletes.empty()) (void)co_await ctx.io.perform(std::move(deletes));

  bj::object out;
  out["id"] = k.id;
  out["name"] = k.name;
  out["deleted"] = true;
  co_return http::json(200, out);
}

}  // namespace ve::vault
