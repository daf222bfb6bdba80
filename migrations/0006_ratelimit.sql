-- vaultedge schema: rate limits on using secrets (worker/ratelimit/). See docs/storage.md.

-- One counter per bucket and one-minute window. A bucket is `<action>:user:<user_id>`
-- or `<action>:token:<credential id>`. Each request upserts its buckets' counter
-- for the current window (RETURNING the count) and deletes that bucket's older
-- windows, so the table holds at most one row per bucket that was ever used.
CREATE TABLE rate_limits (
  bucket        TEXT NOT NULL,
  window_start  INTEGER NOT NULL,          -- ms since epoch, a multiple of 60000
  count         INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
