// Data access for keys, their old names (aliases) and their versions: every SQL
// statement of the vault's key routes. Every statement takes the user id from
// the caller's principal as ?1 and filters on it: tenant isolation lives here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/effect.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::vault {

/// A row of `keys` plus where its current version's blob is.
struct KeyRecord {
  std::string id;
  std::string name;
  std::string provider;
  std::string category;         ///< llm | service | oauth
  std::string credential_type;  ///< api_key | oauth2
  std::vector<std::string> tags;
  std::optional<std::string> base_url;
  std::optional<std::string> auth_header_type;
  std::int64_t current_version = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> rotated_at;
  std::optional<std::int64_t> paused_at;
  std::optional<std::int64_t> last_used_at;
  std::string blob_key;  ///< KV name of the current version's blob
  std::string kid;       ///< KEK of the current version
};

/// One row of key_versions (no fingerprint: it never leaves the database).
struct VersionRecord {
  std::int64_t version = 0;
  std::optional<std::string> stage;  ///< current | previous | pending; nullopt = retired
  std::string kid;
  std::string blob_key;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> retired_at;
};

/// SQL expression resolving ?2 (a key id, a current name, or an old name —
/// in that order of precedence) to a key id of user ?1, or NULL.
extern const char* const kResolveKey;

/// The key ?2 refers to (see kResolveKey), 0 or 1 row of KeyRecord columns.
async::Statement select_key(const std::string& user_id, const std::string& ref);
/// All keys of the user, oldest first.
async::Statement select_keys(const std::string& user_id);
/// Keys whose id or current name is one of `refs` (at most 50).
async::Statement select_keys_by_ref(const std::string& user_id,
                                    const std::vector<std::string>& refs);
/// Old names: columns name, key_id; all of the user's, or those of the key `ref`
/// refers to (see kResolveKey).
async::Statement select_aliases(const std::string& user_id,
                                const std::optional<std::string>& ref = std::nullopt);
/// Old names among `refs` (at most 50), with the key they point to (KeyRecord
/// columns plus `alias`).
async::Statement select_keys_by_alias(const std::string& user_id,
                                      const std::vector<std::string>& refs);
/// Versions of the key `ref` refers to (see kResolveKey), newest first.
async::Statement select_versions(const std::string& user_id, const std::string& ref);
/// Is `name` taken by a key (other than `except_key_id`) or an old name of one?
/// One row with column `taken` (0/1).
async::Statement select_name_taken(const std::string& user_id, const std::string& name,
                                   const std::string& except_key_id = "");

/// The SQL condition (params ?1 user, ?2 name, ?3 key id allowed to hold it)
/// "the name is another key's name or old name", for guards.
extern const char* const kNameTakenCondition;

/// A KeyRecord from row `i` of a select_key / select_keys / select_keys_by_* result.
KeyRecord read_key(const async::Rows& rows, std::size_t i);
/// A VersionRecord from row `i` of select_versions.
VersionRecord read_version(const async::Rows& rows, std::size_t i);

/// Loads the key `ref` (id, name or old name) of the principal's user: 404 when
/// there is none (also when it belongs to another user), 503 when D1 failed.
async::Task<Result<KeyRecord>> load_key(api::Ctx& ctx, const std::string& ref);

/// 404 for a key reference nobody of this user owns.
Error key_not_found(std::string_view ref);

}  // namespace ve::vault
