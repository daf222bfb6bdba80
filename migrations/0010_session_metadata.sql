-- vaultedge schema: browser sessions gain a public id and what the sessions
-- page shows (worker/auth/session.cpp, worker/account/, docs/signin.md
-- "Sessions"). See docs/storage.md.
--
-- SQLite cannot add a UNIQUE or NOT NULL column with a computed default by
-- ALTER TABLE, so the table is rebuilt (nothing references `sessions`).
-- `id` is an identifier for the API (`DELETE /v1/sessions/:id`), never a
-- credential: the token stays only as its hash. Existing rows get a random id
-- and last_seen_at = now (the migration's time), so the new 24-hour idle limit
-- does not sign anyone out at deploy. The defaults also serve rows inserted
-- without these columns (test set-ups); the core always writes them.
CREATE TABLE sessions_next (
  id            TEXT NOT NULL UNIQUE DEFAULT ('ses_' || lower(hex(randomblob(16)))),
  token_hash    TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,              -- created_at + 30 days (absolute)
  last_seen_at  INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  user_agent    TEXT,                          -- as sent at sign-in, at most 256 bytes
  ip            TEXT,                          -- the client address at sign-in
  country       TEXT                           -- ISO 3166 code from the edge, if known
);
INSERT INTO sessions_next (token_hash, user_id, created_at, expires_at)
  SELECT token_hash, user_id, created_at, expires_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_next RENAME TO sessions;
CREATE INDEX sessions_user ON sessions(user_id, created_at DESC);
