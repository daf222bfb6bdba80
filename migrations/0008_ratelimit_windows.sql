-- vaultedge schema: rate-limit windows are purged by age (worker/ratelimit/). See docs/storage.md.

-- Every counting batch first deletes all windows older than the current one,
-- whatever their bucket, so the table holds only the buckets used this minute
-- (per-address buckets of the OAuth endpoints would otherwise keep one row per
-- address ever seen). This index makes that delete read only the stale rows.
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);
