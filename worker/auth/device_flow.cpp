// Device authorization for `apilocker register`, in the shape of RFC 8628
// with the CLI's JSON: start (device_code + user_code) and poll (pending,
// slow_down, expired, denied, or the master token exactly once).
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/handlers.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/auth/user_code.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::auth::handlers {

namespace {

namespace bj = boost::json;

constexpr std::string_view kDeviceCodePrefix = "vk_dc_";
constexpr std::int64_t kExpiresInS = 600;          // RFC 8628 §3.2 expires_in
constexpr std::int64_t kIntervalS = 5;             // RFC 8628 §3.2 interval
constexpr std::int64_t kSlowDownStepS = 5;         // RFC 8628 §3.5: +5 s after slow_down
constexpr std::int64_t kPollGraceMs = 1000;        // tolerated jitter between polls
constexpr std::int64_t kKeepExpiredMs = 3600'000;  // expired codes still answer "expired" for 1 h
constexpr int kUserCodeAttempts = 4;

Error invalid_grant(std::string message) {
  return bad_request(std::move(message), "invalid_grant");
}

/// client_metadata.<field>: optional string of at most 255 bytes.
Result<std::optional<std::string>> metadata(const bj::object* cm, std::string_view field) {
  if (cm == nullptr) return std::optional<std::string>{};
  auto r = json::optional_string(*cm, field, 255);
  if (!r.ok()) {
    return bad_request("field 'client_metadata." + std::string(field) +
                       "' must be a string of at most 255 bytes");
  }
  return r;
}

http::Response status_only(std::string_view status) {
  return http::json(200, bj::object{{"status", status}});
}

/// Mints the master token for an approved code: device, token and audit row,
/// each conditional on the code still being 'approved', then the code marked
/// consumed — one batch, so of two racing polls only one gets a token.
async::Task<http::Response> authorize(Ctx& ctx, const std::string& code_hash,
                                      const async::Rows& code) {
  const std::string user_id = store::text_or_empty(code, 0, "user_id");
  const std::string device_id = store::new_id("dev_");
  const std::string token = crypto::random_token("vk_master_");
  if (token.empty()) co_return http::error(unavailable("no randomness available; poll again"));
  const std::int64_t now = util::now_ms();

  ctx.principal = Principal{};
  ctx.principal.kind = Principal::Kind::master;
  ctx.principal.user_id = user_id;
  ctx.principal.actor_id = device_id;
  ctx.principal.email = store::text_or_empty(code, 0, "email");
  ctx.principal.client = "apilocker-cli";
  auto audit_row = insert_only_if(audit::insert(ctx, {.action = "device.authorize",
                                                      .status = 200,
                                                      .detail = store::text(code, 0, "hostname")}),
                                  "EXISTS (SELECT 1 FROM devices WHERE id = ? AND user_id = ?)",
                                  {device_id, user_id});
  if (!audit_row) co_return http::error(Error{});

  std::vector<async::Statement> batch;
  batch.push_back(
      {"INSERT INTO devices (id, user_id, name, hostname, platform, platform_version, "
       "cli_version, created_at, last_used_at) "
       "SELECT ?1, user_id, COALESCE(requested_name, hostname || ' · ' || platform, hostname, "
       "'apilocker CLI'), hostname, platform, platform_version, cli_version, ?2, ?2 "
       "FROM device_codes WHERE device_code_hash = ?3 AND user_id = ?4 AND status = 'approved' "
       "AND expires_at > ?2",
       {device_id, now, code_hash, user_id}});
  batch.push_back(
      {"INSERT INTO master_tokens (token_hash, device_id, user_id, created_at) "
       "SELECT ?1, id, user_id, ?2 FROM devices WHERE id = ?3 AND user_id = ?4",
       {credential_hash(token), now, device_id, user_id}});
  batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"UPDATE device_codes SET status = 'consumed' WHERE device_code_hash = ?1 "
       "AND user_id = ?2 AND status = 'approved' AND expires_at > ?3",
       {code_hash, user_id, now}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  if (rows.value()[3].changes != 1) {
    co_return http::error(invalid_grant(
        "this device_code was already exchanged for a token or has expired; run `apilocker "
        "register` again"));
  }
  co_return http::json(200, bj::object{{"status", "authorized"},
                                       {"master_token", token},
                                       {"token_type", "Bearer"},
                                       {"user_id", user_id},
                                       {"email", ctx.principal.email},
                                       {"device_id", device_id}});
}

}  // namespace

Handler cli_auth_start(Ctx& ctx) {
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  const bj::object* cm = nullptr;
  if (auto it = body->find("client_metadata"); it != body->end() && !it->value().is_null()) {
    if (!it->value().is_object()) {
      co_return http::error(bad_request("field 'client_metadata' must be an object"));
    }
    cm = &it->value().as_object();
  }
  auto hostname = metadata(cm, "hostname");
  auto platform = metadata(cm, "platform");
  auto platform_version = metadata(cm, "platform_version");
  auto cli_version = metadata(cm, "cli_version");
  for (const auto* r : {&hostname, &platform, &platform_version, &cli_version}) {
    if (!r->ok()) co_return http::error(r->error());
  }
  auto name = json::optional_string(*body, "name", 100);
  if (!name.ok()) co_return http::error(name.error());

  const std::string device_code = crypto::random_token(kDeviceCodePrefix);
  if (device_code.empty()) co_return http::error(unavailable("no randomness available; try again"));
  const std::int64_t now = util::now_ms();
  std::string user_code;
  for (int attempt = 0; attempt < kUserCodeAttempts && user_code.empty(); ++attempt) {
    std::string candidate = new_user_code();
    if (candidate.empty()) co_return http::error(unavailable("no randomness available; try again"));
    std::vector<async::Statement> batch;
    // Housekeeping (no tenant data is read): forget codes expired over an hour ago.
    batch.push_back({"DELETE FROM device_codes WHERE expires_at < ?1", {now - kKeepExpiredMs}});
    batch.push_back(
        {"INSERT INTO device_codes (device_code_hash, user_code, status, requested_name, "
         "hostname, platform, platform_version, cli_version, interval_s, created_at, expires_at) "
         "SELECT ?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 "
         "WHERE NOT EXISTS (SELECT 1 FROM device_codes WHERE user_code = ?2)",
         {credential_hash(device_code), candidate, store::nullable(*name),
          store::nullable(hostname.value()), store::nullable(platform.value()),
          store::nullable(platform_version.value()), store::nullable(cli_version.value()),
          kIntervalS, now, now + kExpiresInS * 1000}});
    auto rows = co_await ctx.io.d1_batch(std::move(batch));
    if (!rows.ok()) co_return http::error(rows.error());
    if (rows.value()[1].changes == 1) user_code = std::move(candidate);
  }
  if (user_code.empty()) co_return http::error(unavailable("could not allocate a code; try again"));

  const std::string verification_uri = ctx.req.origin + "/device";
  co_return http::json(
      200, bj::object{{"device_code", device_code},
                      {"user_code", user_code},
                      {"verification_uri", verification_uri},
                      {"verification_uri_complete", verification_uri + "?user_code=" + user_code},
                      {"expires_in", kExpiresInS},
                      {"interval", kIntervalS}});
}

Handler cli_auth_poll(Ctx& ctx) {
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto device_code = json::required_string(*body, "device_code", 256);
  if (!device_code.ok()) co_return http::error(device_code.error());
  const Error unknown = invalid_grant(
      "unknown device_code: it was never issued here or expired long ago; run `apilocker "
      "register` again");
  if (device_code->rfind(kDeviceCodePrefix, 0) != 0) co_return http::error(unknown);

  const std::string hash = credential_hash(*device_code);
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT c.status, c.user_id, c.hostname, c.interval_s, c.last_poll_at, "
       "c.expires_at, u.email FROM device_codes c "
       "LEFT JOIN users u ON u.id = c.user_id WHERE c.device_code_hash = ?1",
       {hash}});
  batch.push_back(
      {"UPDATE device_codes SET last_poll_at = ?2 WHERE device_code_hash = ?1", {hash, now}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& code = rows.value()[0];
  if (code.rows.empty()) co_return http::error(unknown);

  const std::string status = store::text_or_empty(code, 0, "status");
  if (status == "consumed") {
    co_return http::error(invalid_grant(
        "this device_code was already exchanged for a token; run `apilocker register` again"));
  }
  if (store::integer(code, 0, "expires_at").value_or(0) <= now) co_return status_only("expired");
  if (status == "denied") co_return status_only("denied");
  if (status == "approved") co_return co_await authorize(ctx, hash, code);

  const std::int64_t interval = store::integer(code, 0, "interval_s").value_or(kIntervalS);
  const auto last = store::integer(code, 0, "last_poll_at");
  if (last && now - *last < interval * 1000 - kPollGraceMs) {
    // The CLI shows `error` of any non-2xx answer and backs off when it
    // contains "slow_down"; RFC 8628 clients read status/interval.
    bj::object o{{"error", "slow_down: polling too fast; wait at least " +
                               std::to_string(interval) + " seconds between polls"},
                 {"code", "slow_down"},
                 {"status", "slow_down"},
                 {"interval", interval + kSlowDownStepS}};
    co_return http::json(429, o);
  }
  co_return status_only("pending");
}

}  // namespace ve::auth::handlers
