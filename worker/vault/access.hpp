// Server-side use of a stored credential (the proxy, MCP tools): load a key of
// the principal's user and open its current version in memory. The caller
// decides whether the principal may use that key (scopes, allowed_keys, paused),
// writes its own audit row, and wipes the plaintext (crypto/wipe.hpp) as soon
// as it has injected it.
#pragma once
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"
#include "worker/vault/credential.hpp"
#include "worker/vault/key_store.hpp"

namespace ve::vault {

/// A key's metadata and its current value. `plaintext` is the api_key value or
/// the oauth2 JSON document (decode_oauth); it is a secret.
struct OpenedKey {
  KeyRecord key;
  std::string plaintext;
};

/// The key `ref` (id, name or old name) of ctx.principal's user with its current
/// value opened. Errors: 404 unknown (or another user's) key; 503 D1/KV
/// unavailable or the blob not yet replicated to this location
/// (`value_not_replicated`); 500 `sealed_value_unreadable`.
async::Task<Result<OpenedKey>> open_current(api::Ctx& ctx, const std::string& ref);

/// The current value of `key` (already loaded by load_key, so a caller can
/// refuse before anything is decrypted). Errors as open_current, without the 404.
async::Task<Result<std::string>> open_value_of(api::Ctx& ctx, const KeyRecord& key);

}  // namespace ve::vault
