#include "worker/maintenance/purge.hpp"

#include <iterator>

#include "worker/maintenance/blob_deletions.hpp"

namespace ve::maintenance {

namespace {

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kMinuteMs = 60'000;

struct Rule {
  const char* table;
  const char* sql;     ///< ?1 = now, ?2 = now - one day, ?3 = start of the current minute
  std::size_t params;  ///< the highest ?N it uses: D1 and SQLite want exactly that many bound
};

// Order matters inside the batch: tokens and codes go before the grants whose
// emptiness the grant rule tests.
constexpr Rule kRules[] = {
    // Expired, or idle for a day (auth/session.hpp kSessionIdleMs).
    {"sessions", "DELETE FROM sessions WHERE expires_at < ?1 OR last_seen_at < ?2", 2},
    {"login_states", "DELETE FROM login_states WHERE expires_at < ?1", 1},
    {"device_codes", "DELETE FROM device_codes WHERE expires_at < ?2", 2},
    {"oauth_requests", "DELETE FROM oauth_requests WHERE expires_at < ?1", 1},
    {"oauth_codes", "DELETE FROM oauth_codes WHERE expires_at < ?2", 2},
    {"oauth_tokens", "DELETE FROM oauth_tokens WHERE expires_at < ?2 OR revoked_at IS NOT NULL", 2},
    {"oauth_grants",
     "DELETE FROM oauth_grants WHERE created_at < ?2 "
     "AND NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = oauth_grants.id) "
     "AND NOT EXISTS (SELECT 1 FROM oauth_codes c WHERE c.grant_id = oauth_grants.id "
     "AND c.expires_at >= ?1)",
     2},
    {"scoped_token_credentials",
     "DELETE FROM scoped_token_credentials WHERE (expires_at IS NOT NULL AND expires_at < ?2) "
     "OR token_id IN (SELECT id FROM scoped_tokens WHERE revoked_at IS NOT NULL)",
     2},
    {"oauth_client_documents", "DELETE FROM oauth_client_documents WHERE expires_at <= ?1", 1},
    {"rate_limits", "DELETE FROM rate_limits WHERE window_start < ?3", 3},
};

}  // namespace

async::Task<Result<std::vector<Purged>>> purge_expired(async::Io& io, std::int64_t now_ms) {
  const std::int64_t minute = now_ms - now_ms % kMinuteMs;
  std::vector<async::Statement> batch;
  const std::vector<async::SqlValue> values{now_ms, now_ms - kDayMs, minute};
  for (const Rule& r : kRules) {
    batch.push_back({r.sql, {values.begin(), values.begin() + static_cast<long>(r.params)}});
  }
  auto rows = co_await io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  std::vector<Purged> out;
  for (std::size_t i = 0; i < std::size(kRules); ++i) {
    out.push_back({kRules[i].table, rows.value()[i].changes});
  }
  // Blobs an account deletion could not delete from KV (a failed delete left
  // their blob_deletions rows): after the batch, since KV is not part of it.
  auto swept = co_await sweep_blob_deletions(io);
  if (!swept.ok()) co_return swept.error();
  out.push_back({"blob_deletions", swept->deleted});
  co_return out;
}

}  // namespace ve::maintenance
