// The scheduled purge (docs/storage.md "Retention"): deletes the D1 rows that
// can never be used again — expired sign-in state, consent requests, codes,
// tokens and credentials, dead OAuth grants, expired cached client metadata
// documents, stale rate-limit windows — so tables stay bounded by live use;
// then deletes the KV blobs still listed in `blob_deletions` (blob_deletions.hpp).
// Run by the Cron Trigger of wrangler.toml through the shim's `scheduled`
// handler (wasm/ABI.md "scheduled").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "worker/async/io.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::maintenance {

/// How many rows one purge removed from one table.
struct Purged {
  std::string table;
  std::int64_t rows = 0;
};

/// One D1 batch (all or nothing) of the retention rules, evaluated at `now_ms`
/// (ms since epoch):
/// - `sessions`: expired, or unused for a day (the idle limit);
/// - `login_states`, `oauth_requests`: expired;
/// - `device_codes`, `oauth_codes`, `oauth_tokens`: expired more than a day ago
///   (the day keeps "expired" answers, and replay detection, for late callers;
///   a spent refresh token stays until then, so its reuse still revokes);
///   revoked `oauth_tokens` at once (a revoked token is refused either way);
/// - `oauth_grants` with no token left, no unexpired code, and older than a
///   day: revoked, expired or never-exchanged connections (nothing can revive
///   them; a new consent makes a new grant);
/// - `scoped_token_credentials`: expired more than a day ago, and every
///   credential of a revoked token (the token row stays for its history);
/// - `oauth_client_documents`: cached metadata documents past their expiry;
/// - `rate_limits`: windows before the current minute.
/// Rows a cascade removes (codes and tokens of a deleted grant) are not counted.
/// Then, after that batch, sweep_blob_deletions: up to 100 listed blobs leave
/// KV and their rows go (`blob_deletions`: the blobs deleted).
/// Errors: D1's (503): from the batch, nothing deleted; from the sweep, the
/// batch's deletions stand and the next run sweeps again.
async::Task<Result<std::vector<Purged>>> purge_expired(async::Io& io, std::int64_t now_ms);

}  // namespace ve::maintenance
