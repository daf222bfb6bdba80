// POST /v1/keys/:idOrName/rotate.
//
//  1. One D1 batch reads the key and reserves the next version number by
//     inserting a `pending` key_versions row (version = max + 1, so two
//     concurrent rotations never get the same number and never the same blob).
//  2. (oauth2) the current blob is read and opened, and the rotated fields merged in.
//  3. The new value is sealed and its blob written to KV under the reserved version.
//  4. One D1 batch, guarded against a concurrent rotation or delete: the pending
//     version becomes `current`, the current one `previous`, the previous one is
//     retired (stage NULL, retired_at), the key's pointer moves, the audit row.
//  5. Only then are the retired versions' blobs deleted from KV.
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/credential.hpp"
#include "worker/vault/guard.hpp"
#include "worker/vault/handlers.hpp"
#include "worker/vault/key_store.hpp"
#include "worker/vault/key_view.hpp"
#include "worker/vault/sealing.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

/// A reservation never committed within this time (its request died) is retired
/// by the next rotation of the same key, and its blob deleted.
constexpr std::int64_t kAbandonedPendingMs = std::int64_t{15} * 60 * 1000;

async::Statement reserve_version(const std::string& user, const std::string& ref,
                                 const std::string& kid, std::int64_t now,
                                 const std::string& credential_type) {
  return {std::string("WITH target AS (SELECT k.id AS id, (SELECT MAX(version) FROM key_versions "
                      "WHERE key_id = k.id) + 1 AS v FROM keys k WHERE k.user_id = ?1 AND "
                      "k.credential_type = ?5 AND k.id = ") +
              kResolveKey +
              ") INSERT INTO key_versions (key_id, version, user_id, stage, kid, fingerprint, "
              "blob_key, created_at) SELECT id, v, ?1, 'pending', ?3, '', 'blob/' || ?1 || '/' "
              "|| id || '/' || v, ?4 FROM target RETURNING version, blob_key",
          {user, ref, kid, now, credential_type}};
}

/// Best effort: drop a reservation that will never be committed.
async::Task<void> release(api::Ctx& ctx, const std::string& key_id, std::int64_t version) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"DELETE FROM key_versions WHERE user_id = ?1 AND key_id = ?2 AND version = ?3 "
       "AND stage = 'pending'",
       {ctx.principal.user_id, key_id, version}});
  (void)co_await ctx.io.d1_batch(std::move(batch));
}

/// The plaintext of the new version: the rotated value, or the current oauth2
/// document with the rotated fields merged in.
async::Task<Result<std::string>> new_plaintext(api::Ctx& ctx, const KeyRecord& key,
                                               Rotation& rotation) {
  if (!rotation.oauth2) co_return std::move(rotation.value);
  auto blob = co_await ctx.io.kv_get(key.blob_key);
  if (!blob.ok()) co_return blob.error();
  if (!blob.value().found) {
    co_return unavailable("the current value of key '" + key.name +
                          "' is not readable in this location yet; retry in a minute");
  }
  auto doc = open_value(ctx.config.keys(), ctx.principal.user_id, key.id, key.current_version,
                        blob.value().value);
  if (!doc.ok()) co_return doc.error();
  auto current = decode_oauth(doc.value());
  crypto::secure_wipe(doc.value());
  if (!current.ok()) co_return current.error();
  auto merged = merge_oauth(current.value(), rotation.changes);
  wipe(current.value());
  if (!merged.ok()) co_return merged.error();
  std::string out = encode_oauth(merged.value());
  wipe(merged.value());
  co_return out;
}

}  // namespace

async::Task<http::Response> rotate_key(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  const std::string& ref = ctx.params[0];
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto rotation = parse_rotation(body.value());
  if (!rotation.ok()) co_return http::error(rotation.error());
  Rotation& rot = rotation.value();
  std::vector<std::string> rotated_fields;
  for (const auto& [field, value] : rot.changes) rotated_fields.push_back(field);

  // 1. read the key and reserve the next version number
  const std::int64_t started = util::now_ms();
  std::vector<async::Statement> reserve;
  reserve.push_back(select_key(user, ref));
  reserve.push_back(reserve_version(user, ref, ctx.config.keys().active().kid, started,
                                    rot.oauth2 ? "oauth2" : "api_key"));
  auto reserved = co_await ctx.io.d1_batch(std::move(reserve));
  if (!reserved.ok()) {
    wipe(rot.changes);
    crypto::secure_wipe(rot.value);
    co_return http::error(reserved.error());
  }
  if (reserved.value()[0].rows.empty()) {
    wipe(rot.changes);
    crypto::secure_wipe(rot.value);
    co_return http::error(key_not_found(ref));
  }
  const KeyRecord key = read_key(reserved.value()[0], 0);
  if (reserved.value()[1].rows.empty()) {
    wipe(rot.changes);
    crypto::secure_wipe(rot.value);
    co_return http::error(bad_request(
        key.credential_type == "oauth2"
            ? "key '" + key.name +
                  "' is an oauth2 credential: send the fields to rotate, e.g. "
                  "{\"client_secret\": ...} or {\"refresh_token\": ...}"
            : "key '" + key.name + "' is an api_key credential: send {\"key\": <new value>}",
        "wrong_credential_type"));
  }
  const std::int64_t version = store::integer(reserved.value()[1], 0, "version").value_or(0);
  const std::string new_blob_key = store::text_or_empty(reserved.value()[1], 0, "blob_key");
  if (version <= key.current_version || new_blob_key != blob_key(user, key.id, version)) {
    co_await release(ctx, key.id, version);
    co_return http::error(Error{500, "internal", "version reservation is inconsistent"});
  }

  // 2. + 3. the new value, sealed, in KV
  auto plaintext = co_await new_plaintext(ctx, key, rot);
  wipe(rot.changes);
  crypto::secure_wipe(rot.value);
  if (!plaintext.ok()) {
    co_await release(ctx, key.id, version);
    co_return http::error(plaintext.error());
  }
  auto sealed = seal_value(ctx.config.keys(), user, key.id, version, plaintext.value());
  crypto::secure_wipe(plaintext.value());
  if (!sealed.ok()) {
    co_await release(ctx, key.id, version);
    co_return http::error(sealed.error());
  }
  auto put = co_await ctx.io.kv_put(new_blob_key, std::move(sealed.value().blob));
  if (!put.ok()) {
    co_await release(ctx, key.id, version);
    co_return http::error(put.error());
  }

  // 4. one guarded batch moves the pointer
  const std::int64_t now = util::now_ms();
  const std::string label = "key '" + key.name + "'";
  std::string detail = "version " + std::to_string(version);
  if (!rotated_fields.empty()) {
    detail += " (";
    for (std::size_t i = 0; i < rotated_fields.size(); ++i) {
      detail += (i ? ", " : "") + rotated_fields[i];
    }
    detail += ")";
  }
  std::vector<async::Statement> batch;
  batch.push_back(abort_if(Guard::key_missing,
                           "NOT EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND id = ?2)",
                           {user, key.id}));
  batch.push_back(abort_if(Guard::key_changed,
                           "NOT EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND id = ?2 AND "
                           "current_version = ?3) OR NOT EXISTS (SELECT 1 FROM key_versions "
                           "WHERE user_id = ?1 AND key_id = ?2 AND version = ?4 AND stage = "
                           "'pending')",
                           {user, key.id, key.current_version, version}));
  batch.push_back(
      {"UPDATE key_versions SET stage = NULL, retired_at = ?3 WHERE user_id = ?1 AND "
       "key_id = ?2 AND (stage = 'previous' OR (stage = 'pending' AND version <> ?4 "
       "AND created_at < ?5)) RETURNING blob_key",
       {user, key.id, now, version, now - kAbandonedPendingMs}});
  batch.push_back(
      {"UPDATE key_versions SET stage = 'previous' WHERE user_id = ?1 AND key_id = ?2 "
       "AND version = ?3",
       {user, key.id, key.current_version}});
  batch.push_back(
      {"UPDATE key_versions SET stage = 'current', kid = ?4, fingerprint = ?5, "
       "created_at = ?6 WHERE user_id = ?1 AND key_id = ?2 AND version = ?3",
       {user, key.id, version, sealed.value().kid, sealed.value().fingerprint, now}});
  batch.push_back(
      {"UPDATE keys SET current_version = ?3, rotated_at = ?4 WHERE user_id = ?1 AND "
       "id = ?2",
       {user, key.id, version, now}});
  batch.push_back(audit::insert(ctx, {"key.rotate", 200, key.id, key.name, std::nullopt, detail}));
  auto committed = co_await ctx.io.d1_batch(std::move(batch));
  if (!committed.ok()) {
    if (surely_rolled_back(committed.error())) {
      (void)co_await ctx.io.kv_delete(new_blob_key);
      co_await release(ctx, key.id, version);
    }
    co_return http::error(batch_failure(committed.error(), label));
  }

  // 5. retired blobs go only now that nothing points at them
  std::vector<async::Effect> deletes;
  const auto& retired = committed.value()[2];
  for (std::size_t i = 0; i < retired.rows.size(); ++i) {
    deletes.emplace_back(async::KvDelete{store::text_or_empty(retired, i, "blob_key")});
  }
  if (!deletes.empty()) (void)co_await ctx.io.perform(std::move(deletes));

  bj::object out;
  out["id"] = key.id;
  out["name"] = key.name;
  out["provider"] = key.provider;
  out["credential_type"] = key.credential_type;
  out["version"] = version;
  out["previous_version"] = key.current_version;
  out["rotated_at"] = util::iso8601(now);
  if (!rotated_fields.empty()) {
    bj::array fields;
    for (const auto& f : rotated_fields) fields.emplace_back(f);
    out["rotated_fields"] = std::move(fields);
  }
  co_return http::json(200, out);
}

}  // namespace ve::vault
