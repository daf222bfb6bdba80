// Devices of the signed-in user and who the caller is (JSON, apilocker CLI shape).
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/auth/csrf.hpp"
#include "worker/auth/handlers.hpp"
#include "worker/auth/session.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::auth::handlers {

namespace {

namespace bj = boost::json;

bj::value time_or_null(const async::Rows& rows, std::size_t i, std::string_view column) {
  return json::iso_or_null(store::integer(rows, i, column));
}

/// The caller's own device id: set for device master tokens, "" otherwise.
std::string own_device(const Ctx& ctx) {
  return ctx.principal.kind == Principal::Kind::master ? ctx.principal.actor_id : std::string();
}

/// The audit row for a change to device `id`, written only if that device is
/// still live when the batch runs (so a refused change leaves no audit row).
std::optional<async::Statement> audit_if_live(const Ctx& ctx, const audit::Entry& entry,
                                              const std::string& id) {
  return insert_only_if(
      audit::insert(ctx, entry),
      "EXISTS (SELECT 1 FROM devices WHERE id = ? AND user_id = ? AND revoked_at IS NULL)",
      {id, ctx.principal.user_id});
}

Error no_device(const std::string& id) {
  return not_found("no active device with id '" + id + "': run `apilocker devices list`");
}

}  // namespace

Handler list_devices(Ctx& ctx) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT id, name, hostname, platform, platform_version, cli_version, "
       "created_at, last_used_at FROM devices WHERE user_id = ?1 AND revoked_at IS NULL "
       "ORDER BY created_at DESC, id",
       {ctx.principal.user_id}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& r = rows.value()[0];
  const std::string own = own_device(ctx);
  bj::array devices;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const std::string id = store::text_or_empty(r, i, "id");
    devices.push_back(
        bj::object{{"id", id},
                   {"name", store::text_or_empty(r, i, "name")},
                   {"hostname", json::text_or_null(store::text(r, i, "hostname"))},
                   {"platform", json::text_or_null(store::text(r, i, "platform"))},
                   {"platform_version", json::text_or_null(store::text(r, i, "platform_version"))},
                   {"cli_version", json::text_or_null(store::text(r, i, "cli_version"))},
                   {"last_used_at", time_or_null(r, i, "last_used_at")},
                   {"created_at", time_or_null(r, i, "created_at")},
                   {"current", !own.empty() && id == own}});
  }
  co_return http::json(200, bj::object{{"devices", std::move(devices)}});
}

Handler revoke_device(Ctx& ctx) {
  const std::string id = ctx.params[0];
  const std::string& user_id = ctx.principal.user_id;
  const std::int64_t now = util::now_ms();
  auto audit_row =
      audit_if_live(ctx, {.action = "device.revoke", .status = 200, .detail = "device " + id}, id);
  if (!audit_row) co_return http::error(Error{});
  std::vector<async::Statement> batch;
  batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"DELETE FROM master_tokens WHERE device_id = ?1 AND user_id = ?2", {id, user_id}});
  batch.push_back(
      {"UPDATE devices SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND "
       "revoked_at IS NULL",
       {id, user_id, now}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[2].changes != 1) co_return http::error(no_device(id));
  co_return http::json(200, bj::object{{"id", id},
                                       {"revoked", true},
                                       {"revoked_at", util::iso8601(now)},
                                       {"current", id == own_device(ctx)}});
}

Handler register_device(Ctx& ctx) {
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto name = json::required_string(*body, "name", 100);
  if (!name.ok()) co_return http::error(name.error());
  auto fingerprint = json::optional_string(*body, "fingerprint", 128);
  if (!fingerprint.ok()) co_return http::error(fingerprint.error());
  const std::string id = own_device(ctx);
  if (id.empty()) {
    co_return http::error(bad_request(
        "only a device's master token can register that device: call this with the token from "
        "`apilocker register`"));
  }
  const std::string& user_id = ctx.principal.user_id;
  auto audit_row =
      audit_if_live(ctx, {.action = "device.register", .status = 200, .detail = *name}, id);
  if (!audit_row) co_return http::error(Error{});
  std::vector<async::Statement> batch;
  batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"UPDATE devices SET name = ?3, fingerprint = COALESCE(?4, fingerprint) "
       "WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL",
       {id, user_id, *name, store::nullable(*fingerprint)}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[1].changes != 1) co_return http::error(no_device(id));
  co_return http::json(200, bj::object{{"id", id}, {"name", *name}, {"registered", true}});
}

Handler me(Ctx& ctx) {
  const auto& p = ctx.principal;
  bj::object o{{"user_id", p.user_id}, {"email", p.email}, {"principal", kind_name(p.kind)}};
  if (auto dev = own_device(ctx); !dev.empty()) o["device_id"] = dev;
  if (p.kind == Principal::Kind::session) {
    // The dashboard's unsafe JSON calls echo this in X-CSRF-Token (csrf.hpp);
    // a cross-site page cannot read this answer.
    o["csrf_token"] = csrf_token(session_token(ctx.req));
    o["session_id"] = p.session_id;
  }
  co_return http::json(200, o);
}

}  // namespace ve::auth::handlers
