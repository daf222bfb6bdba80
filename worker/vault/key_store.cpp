#include "worker/vault/key_store.hpp"

#include <boost/json.hpp>

#include "worker/store/rows.hpp"

namespace ve::vault {

namespace {

constexpr const char* kKeyColumns =
    "k.id AS id, k.name AS name, k.provider AS provider, k.category AS category, "
    "k.credential_type AS credential_type, k.tags AS tags, k.base_url AS base_url, "
    "k.auth_header_type AS auth_header_type, k.current_version AS current_version, "
    "k.created_at AS created_at, k.rotated_at AS rotated_at, k.paused_at AS paused_at, "
    "k.last_used_at AS last_used_at, cv.blob_key AS blob_key, cv.kid AS kid";

constexpr const char* kKeyFrom =
    " FROM keys k LEFT JOIN key_versions cv ON cv.key_id = k.id AND cv.version = "
    "k.current_version";

/// "?2, ?3, …" for `n` parameters after the user id.
std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) s += ", ";
    s += "?" + std::to_string(i + 2);
  }
  return s;
}

std::vector<async::SqlValue> user_and(const std::string& user_id,
                                      const std::vector<std::string>& refs) {
  std::vector<async::SqlValue> p{user_id};
  for (const auto& r : refs) p.emplace_back(r);
  return p;
}

std::vector<std::string> parse_tags_column(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  boost::system::error_code ec;
  auto v = boost::json::parse(*text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& t : v.as_array()) {
    if (t.is_string()) out.emplace_back(t.as_string());
  }
  return out;
}

}  // namespace

const char* const kResolveKey =
    "COALESCE((SELECT id FROM keys WHERE user_id = ?1 AND id = ?2), "
    "(SELECT id FROM keys WHERE user_id = ?1 AND name = ?2), "
    "(SELECT key_id FROM key_aliases WHERE user_id = ?1 AND name = ?2))";

const char* const kNameTakenCondition =
    "(EXISTS (SELECT 1 FROM keys WHERE user_id = ?1 AND name = ?2 AND id <> ?3) OR "
    "EXISTS (SELECT 1 FROM key_aliases WHERE user_id = ?1 AND name = ?2 AND key_id <> ?3))";

async::Statement select_key(const std::string& user_id, const std::string& ref) {
  return {std::string("SELECT ") + kKeyColumns + kKeyFrom +
              " WHERE k.user_id = ?1 AND k.id = " + kResolveKey,
          {user_id, ref}};
}

async::Statement select_keys(const std::string& user_id) {
  return {std::string("SELECT ") + kKeyColumns + kKeyFrom +
              " WHERE k.user_id = ?1 ORDER BY k.created_at, k.name",
          {user_id}};
}

async::Statement select_keys_by_ref(const std::string& user_id,
                                    const std::vector<std::string>& refs) {
  const std::string in = placeholders(refs.size());
  return {std::string("SELECT ") + kKeyColumns + kKeyFrom + " WHERE k.user_id = ?1 AND (k.id IN (" +
              in + ") OR k.name IN (" + in + "))",
          user_and(user_id, refs)};
}

async::Statement select_aliases(const std::string& user_id, const std::optional<std::string>& ref) {
  if (ref) {
    return {std::string("SELECT name, key_id FROM key_aliases WHERE user_id = ?1 AND key_id = ") +
                kResolveKey + " ORDER BY created_at, name",
            {user_id, *ref}};
  }
  return {"SELECT name, key_id FROM key_aliases WHERE user_id = ?1 ORDER BY created_at, name",
          {user_id}};
}

async::Statement select_keys_by_alias(const std::string& user_id,
                                      const std::vector<std::string>& refs) {
  return {std::string("SELECT a.name AS alias, ") + kKeyColumns +
              " FROM key_aliases a JOIN keys k ON k.id = a.key_id AND k.user_id = a.user_id "
              "LEFT JOIN key_versions cv ON cv.key_id = k.id AND cv.version = k.current_version "
              "WHERE a.user_id = ?1 AND a.name IN (" +
              placeholders(refs.size()) + ")",
          user_and(user_id, refs)};
}

async::Statement select_versions(const std::string& user_id, const std::string& ref) {
  return {std::string("SELECT version, stage, kid, blob_key, created_at, retired_at FROM "
                      "key_versions WHERE user_id = ?1 AND key_id = ") +
              kResolveKey + " ORDER BY version DESC",
          {user_id, ref}};
}

async::Statement select_name_taken(const std::string& user_id, const std::string& name,
                                   const std::string& except_key_id) {
  return {std::string("SELECT ") + kNameTakenCondition + " AS taken",
          {user_id, name, except_key_id}};
}

KeyRecord read_key(const async::Rows& rows, std::size_t i) {
  KeyRecord k;
  k.id = store::text_or_empty(rows, i, "id");
  k.name = store::text_or_empty(rows, i, "name");
  k.provider = store::text_or_empty(rows, i, "provider");
  k.category = store::text_or_empty(rows, i, "category");
  k.credential_type = store::text_or_empty(rows, i, "credential_type");
  k.tags = parse_tags_column(store::text(rows, i, "tags"));
  k.base_url = store::text(rows, i, "base_url");
  k.auth_header_type = store::text(rows, i, "auth_header_type");
  k.current_version = store::integer(rows, i, "current_version").value_or(0);
  k.created_at = store::integer(rows, i, "created_at").value_or(0);
  k.rotated_at = store::integer(rows, i, "rotated_at");
  k.paused_at = store::integer(rows, i, "paused_at");
  k.last_used_at = store::integer(rows, i, "last_used_at");
  k.blob_key = store::text_or_empty(rows, i, "blob_key");
  k.kid = store::text_or_empty(rows, i, "kid");
  return k;
}

VersionRecord read_version(const async::Rows& rows, std::size_t i) {
  VersionRecord v;
  v.version = store::integer(rows, i, "version").value_or(0);
  v.stage = store::text(rows, i, "stage");
  v.kid = store::text_or_empty(rows, i, "kid");
  v.blob_key = store::text_or_empty(rows, i, "blob_key");
  v.created_at = store::integer(rows, i, "created_at").value_or(0);
  v.retired_at = store::integer(rows, i, "retired_at");
  return v;
}

Error key_not_found(std::string_view ref) {
  return not_found("no key '" + std::string(ref.substr(0, 128)) +
                   "' in your vault (run `apilocker list` to see your keys)");
}

async::Task<Result<KeyRecord>> load_key(api::Ctx& ctx, const std::string& ref) {
  std::vector<async::Statement> batch;
  batch.push_back(select_key(ctx.principal.user_id, ref));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  if (rows.value().empty() || rows.value()[0].rows.empty()) co_return key_not_found(ref);
  co_return read_key(rows.value()[0], 0);
}

}  // namespace ve::vault
