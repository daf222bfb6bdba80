// POST /v1/keys: validate, seal version 1, write its blob to KV, then one D1
// batch (key row, version row, audit row) guarded against a name taken meanwhile.
#include <boost/json.hpp>

#include "worker/audit/audit.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/credential.hpp"
#include "worker/vault/guard.hpp"
#include "worker/vault/handlers.hpp"
#include "worker/vault/key_store.hpp"
#include "worker/vault/key_view.hpp"
#include "worker/vault/providers.hpp"
#include "worker/vault/sealing.hpp"
#include "worker/vault/validate.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

/// A validated store request. `secret` is plaintext: wiped by the handler.
struct NewKey {
  KeyRecord meta;
  std::string secret;
};

Result<std::string> credential_type_of(const bj::object& body) {
  auto type = json::optional_string(body, "credential_type", 32);
  if (!type.ok()) return type.error();
  if (type.value()) {
    if (*type.value() == "api_key" || *type.value() == "oauth2") return *type.value();
    return bad_request("field 'credential_type' must be 'api_key' or 'oauth2'");
  }
  // apilocker import sends no credential_type; OAuth fields imply oauth2.
  const bool oauth = body.contains("client_id") || body.contains("client_secret");
  return std::string(oauth && !body.contains("key") ? "oauth2" : "api_key");
}

Result<NewKey> parse_new_key(const bj::object& body, bool development) {
  NewKey k;
  auto name = json::required_string(body, "name", kMaxNameBytes);
  if (!name.ok()) return name.error();
  auto checked_name = check_name(name.value());
  if (!checked_name.ok()) return checked_name.error();
  k.meta.name = std::move(checked_name.value());

  auto provider_id = json::optional_string(body, "provider", 64);
  if (!provider_id.ok()) return provider_id.error();
  const std::string pid = provider_id.value().value_or("custom");
  const Provider* provider = find_provider(pid);
  if (provider == nullptr) return bad_request(unknown_provider_message(pid), "unknown_provider");
  k.meta.provider = std::string(provider->id);
  const bool custom = provider->id == "custom";

  auto type = credential_type_of(body);
  if (!type.ok()) return type.error();
  k.meta.credential_type = type.value();
  const bool oauth2 = k.meta.credential_type == "oauth2";
  k.meta.category = oauth2 ? "oauth"
                    : provider->category == Category::oauth
                        ? "service"
                        : std::string(category_name(provider->category));

  auto tags = parse_tags(body);
  if (!tags.ok()) return tags.error();
  k.meta.tags = std::move(tags.value());

  auto base_url = json::optional_string(body, "base_url", static_cast<std::size_t>(-1));
  if (!base_url.ok()) return base_url.error();
  if (base_url.value() && !base_url.value()->empty()) {
    auto url = check_base_url(*base_url.value(), development);
    if (!url.ok()) return url.error();
    k.meta.base_url = std::move(url.value());
  } else if (!provider->base_url.empty()) {
    k.meta.base_url = std::string(provider->base_url);
  }

  auto auth_type = json::optional_string(body, "auth_header_type", 32);
  if (!auth_type.ok()) return auth_type.error();
  if (auth_type.value() && !is_auth_header_type(*auth_type.value())) {
    return bad_request(
        "field 'auth_header_type' must be one of bearer, x-api-key, basic, query, custom");
  }
  // A catalog provider injects its own way; only `custom` takes the caller's.
  k.meta.auth_header_type =
      custom ? auth_type.value().value_or("bearer") : std::string(auth_header_type(provider->auth));

  if (oauth2) {
    auto fields = oauth_fields_for_store(body, *provider);
    if (!fields.ok()) return fields.error();
    k.secret = encode_oauth(fields.value());
    wipe(fields.value());
  } else {
    const char* field = body.contains("key") || !body.contains("value") ? "key" : "value";
    auto value = json::optional_string(body, field, static_cast<std::size_t>(-1));
    if (!value.ok()) return value.error();
    if (!value.value()) {
      return bad_request(
          "field 'key' is required: the credential's value (or send "
          "credential_type 'oauth2' with client_id and client_secret)");
    }
    if (auto ok = check_secret(*value.value(), field); !ok.ok()) return ok.error();
    k.secret = std::move(*value.value());
  }
  return k;
}

std::string tags_json(const std::vector<std::string>& tags) {
  bj::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return bj::serialize(a);
}

}  // namespace

async::Task<http::Response> create_key(api::Ctx& ctx) {
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto parsed = parse_new_key(body.value(), ctx.config.development());
  if (!parsed.ok()) co_return http::error(parsed.error());
  NewKey& k = parsed.value();
  const std::string& user = ctx.principal.user_id;

  // Cheap early 409 before anything is written (the batch below re-checks).
  std::vector<async::Statement> check;
  check.push_back(select_name_taken(user, k.meta.name));
  auto taken = co_await ctx.io.d1_batch(std::move(check));
  if (!taken.ok()) {
    crypto::secure_wipe(k.secret);
    co_return http::error(taken.error());
  }
  if (store::integer(taken.value()[0], 0, "taken").value_or(0) != 0) {
    crypto::secure_wipe(k.secret);
    co_return http::error(guard_error(Guard::name_taken, "", k.meta.name));
  }

  const std::int64_t now = util::now_ms();
  k.meta.id = store::new_id("key_");
  k.meta.current_version = 1;
  k.meta.created_at = now;
  auto sealed = seal_value(ctx.config.keys(), user, k.meta.id, 1, k.secret);
  crypto::secure_wipe(k.secret);
  if (!sealed.ok()) co_return http::error(sealed.error());
  k.meta.blob_key = blob_key(user, k.meta.id, 1);
  k.meta.kid = sealed.value().kid;

  // 1. the blob (immutable, addressed by version)
  auto put = co_await ctx.io.kv_put(k.meta.blob_key, std::move(sealed.value().blob));
  if (!put.ok()) co_return http::error(put.error());

  // 2. one batch: key row, its first version, the audit row
  std::vector<async::Statement> batch;
  batch.push_back(abort_if(Guard::name_taken, kNameTakenCondition, {user, k.meta.name, k.meta.id}));
  batch.push_back(
      {"INSERT INTO keys (id, user_id, name, provider, category, credential_type, "
       "tags, base_url, auth_header_type, current_version, created_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10)",
       {k.meta.id, user, k.meta.name, k.meta.provider, k.meta.category, k.meta.credential_type,
        tags_json(k.meta.tags), store::nullable(k.meta.base_url),
        store::nullable(k.meta.auth_header_type), now}});
  batch.push_back(
      {"INSERT INTO key_versions (key_id, version, user_id, stage, kid, fingerprint, "
       "blob_key, created_at) VALUES (?1, 1, ?2, 'current', ?3, ?4, ?5, ?6)",
       {k.meta.id, user, k.meta.kid, sealed.value().fingerprint, k.meta.blob_key, now}});
  batch.push_back(
      audit::insert(ctx, {"key.create", 201, k.meta.id, k.meta.name, std::nullopt, "version 1"}));
  auto committed = co_await ctx.io.d1_batch(std::move(batch));
  if (!committed.ok()) {
    // A refused batch wrote nothing: the blob is ours alone and can go. After
    // any other failure it stays (unreferenced at worst, never a dangling pointer).
    if (surely_rolled_back(committed.error())) (void)co_await ctx.io.kv_delete(k.meta.blob_key);
    co_return http::error(
        batch_failure(committed.error(), "key '" + k.meta.name + "'", k.meta.name));
  }

  bj::object out = key_summary(k.meta, {}, ctx.req.origin);
  co_return http::json(201, out);
}

}  // namespace ve::vault
