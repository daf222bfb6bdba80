// POST /v1/keys/reveal {keys: [names or ids]} → {keys: [...], missing: [...]}
// in the shape the apilocker CLI's reveal.js / `run` / `get` / `env` read:
//   api_key: {…, credential_type: "api_key", value, env_name}
//   oauth2:  {…, credential_type: "oauth2", fields: {...}, env_names: {...}}
// plus requested_as / deprecated_alias for names used before a rename (the env
// var names then follow the requested name, so old configs keep working).
//
// One D1 batch resolves every reference, one effect group fetches every blob
// (parallel kv.get), and one D1 batch writes an audit row per revealed key and
// bumps last_used_at — before any plaintext leaves. Reveals are rate-limited
// per user and per credential (worker/ratelimit), and a scoped token sees only
// its allowed keys (the others are reported missing). Plaintext lives only in
// this request's memory and is wiped once the response body is built. Paused
// keys are revealed: pausing blocks proxy use only (`apilocker pause` says so).
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <optional>

#include "worker/audit/audit.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/ratelimit/limit.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/credential.hpp"
#include "worker/vault/env_name.hpp"
#include "worker/vault/handlers.hpp"
#include "worker/vault/key_store.hpp"
#include "worker/vault/sealing.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxRefs = 50;
constexpr std::size_t kMaxRefBytes = 256;

/// A reference from the request and the key it resolved to.
struct Match {
  std::string requested;
  std::size_t key = 0;  ///< index into the distinct keys
  bool via_alias = false;
};

Result<std::vector<std::string>> parse_refs(const bj::object& body) {
  const auto bad = [] {
    return bad_request("field 'keys' must be an array of 1 to 50 key names or ids");
  };
  auto it = body.find("keys");
  if (it == body.end() || !it->value().is_array()) return bad();
  const auto& a = it->value().as_array();
  if (a.empty() || a.size() > kMaxRefs) return bad();
  std::vector<std::string> refs;
  for (const auto& v : a) {
    if (!v.is_string() || v.as_string().empty() || v.as_string().size() > kMaxRefBytes) {
      return bad();
    }
    std::string r(v.as_string());
    if (std::find(refs.begin(), refs.end(), r) == refs.end()) refs.push_back(std::move(r));
  }
  return refs;
}

bj::object item_json(const KeyRecord& k, const Match& m, std::string_view plaintext,
                     Result<void>& error) {
  bj::object o;
  o["id"] = k.id;
  o["name"] = k.name;
  o["provider"] = k.provider;
  o["category"] = k.category;
  o["credential_type"] = k.credential_type;
  o["version"] = k.current_version;
  o["paused"] = k.paused_at.has_value();
  o["requested_as"] = m.requested;
  o["deprecated_alias"] = m.via_alias;
  // Env names follow the name the caller used (an old name keeps its variable).
  const std::string& env_base = m.via_alias ? m.requested : k.name;
  if (k.credential_type == "oauth2") {
    auto fields = decode_oauth(plaintext);
    if (!fields.ok()) {
      error = fields.error();
      return o;
    }
    bj::object values, names;
    for (const auto& [field, value] : fields.value()) {
      values[field] = value;
      names[field] = oauth_env_name(env_base, field);
    }
    wipe(fields.value());
    o["fields"] = std::move(values);
    o["env_names"] = std::move(names);
  } else {
    o["value"] = plaintext;
    o["env_name"] = env_name(env_base);
  }
  return o;
}

}  // namespace

async::Task<http::Response> reveal_keys(api::Ctx& ctx) {
  const std::string& user = ctx.principal.user_id;
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) co_return http::error(body.error());
  auto refs = parse_refs(body.value());
  if (!refs.ok()) co_return http::error(refs.error());
  if (auto allowed = co_await ratelimit::consume(ctx, ratelimit::Action::reveal); !allowed.ok()) {
    co_return http::error(allowed.error());
  }

  // 1. resolve: id, then current name, then old name
  std::vector<async::Statement> lookup;
  lookup.push_back(select_keys_by_ref(user, refs.value()));
  lookup.push_back(select_keys_by_alias(user, refs.value()));
  auto rows = co_await ctx.io.d1_batch(std::move(lookup));
  if (!rows.ok()) co_return http::error(rows.error());
  const auto& direct = rows.value()[0];
  const auto& aliased = rows.value()[1];

  std::vector<KeyRecord> found;  // rows matched by id or current name
  // Keys outside a scoped token's allowed_keys stay unmatched: reported missing.
  for (std::size_t i = 0; i < direct.rows.size(); ++i) {
    KeyRecord k = read_key(direct, i);
    if (ctx.principal.may_use_key(k.id)) found.push_back(std::move(k));
  }
  std::vector<KeyRecord> keys;               // distinct keys to reveal
  std::map<std::string, std::size_t> index;  // key id → keys[]
  const auto add = [&](const KeyRecord& k) {
    auto [it, fresh] = index.emplace(k.id, keys.size());
    if (fresh) keys.push_back(k);
    return it->second;
  };
  std::vector<Match> matches;
  bj::array missing;
  for (const auto& ref : refs.value()) {
    std::optional<Match> m;
    for (const auto& k : found) {
      if (k.id == ref) m = Match{ref, add(k), false};
    }
    for (std::size_t i = 0; i < found.size() && !m; ++i) {
      if (found[i].name == ref) m = Match{ref, add(found[i]), false};
    }
    for (std::size_t i = 0; i < aliased.rows.size() && !m; ++i) {
      if (store::text_or_empty(aliased, i, "alias") != ref) continue;
      KeyRecord k = read_key(aliased, i);
      if (ctx.principal.may_use_key(k.id)) m = Match{ref, add(k), true};
    }
    if (m) {
      matches.push_back(std::move(*m));
    } else {
      missing.emplace_back(ref);
    }
  }

  // 2. every blob in one effect group
  std::vector<async::Effect> gets;
  gets.reserve(keys.size());
  for (const auto& k : keys) gets.emplace_back(async::KvGet{k.blob_key});
  std::vector<async::EffectResult> blobs;
  if (!gets.empty()) blobs = co_await ctx.io.perform(std::move(gets));

  std::vector<std::string> plaintexts;
  const auto fail = [&](const Error& e) {
    for (auto& p : plaintexts) crypto::secure_wipe(p);
    return http::error(e);
  };
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const KeyRecord& k = keys[i];
    if (i >= blobs.size() || !blobs[i].ok) {
      co_return fail(unavailable("storage (KV) is unavailable: " +
                                 (i < blobs.size() ? blobs[i].error : std::string())));
    }
    const auto* kv = std::get_if<async::KvValue>(&blobs[i].value);
    if (kv == nullptr || !kv->found) {
      co_return fail(Error{503, "value_not_replicated",
                           "the value of key '" + k.name +
                               "' is not readable in this location yet; retry in a minute"});
    }
    auto opened = open_value(ctx.config.keys(), user, k.id, k.current_version, kv->value);
    if (!opened.ok()) co_return fail(opened.error());
    plaintexts.push_back(std::move(opened.value()));
  }

  // 3. audit rows + last_used_at, committed before any value leaves
  if (!keys.empty()) {
    const std::int64_t now = util::now_ms();
    std::vector<async::Statement> batch;
    std::vector<async::SqlValue> params{user, now};
    std::string in;
    for (const auto& k : keys) {
      in += (in.empty() ? "?" : ", ?") + std::to_string(params.size() + 1);
      params.emplace_back(k.id);
    }
    batch.push_back({"UPDATE keys SET last_used_at = ?2 WHERE user_id = ?1 AND id IN (" + in + ")",
                     std::move(params)});
    for (std::size_t i = 0; i < keys.size(); ++i) {  // one row per key, even if asked twice
      const KeyRecord& k = keys[i];
      const auto m =
          std::find_if(matches.begin(), matches.end(), [&](const Match& x) { return x.key == i; });
      std::string detail = "version " + std::to_string(k.current_version);
      if (m != matches.end() && m->via_alias) detail += ", requested as old name " + m->requested;
      batch.push_back(audit::insert(ctx, {"key.reveal", 200, k.id, k.name, {}, detail}));
    }
    auto committed = co_await ctx.io.d1_batch(std::move(batch));
    if (!committed.ok()) co_return fail(committed.error());
  }

  // 4. the response; then the plaintext copies are wiped
  bj::value out = bj::object{};
  bj::array items;
  Result<void> item_error;
  for (const auto& m : matches) {
    items.emplace_back(item_json(keys[m.key], m, plaintexts[m.key], item_error));
  }
  for (auto& p : plaintexts) crypto::secure_wipe(p);
  out.as_object()["keys"] = std::move(items);
  out.as_object()["missing"] = std::move(missing);
  if (!item_error.ok()) {
    json::wipe(out);
    co_return http::error(item_error.error());
  }
  http::Response response = http::json(200, out);
  json::wipe(out);
  co_return response;
}

}  // namespace ve::vault
