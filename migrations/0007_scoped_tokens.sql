-- vaultedge schema: scoped tokens (worker/tokens/, docs/proxy.md "Scoped tokens").

-- A token the user created for an app: it may read and proxy only its allowed
-- keys and never write. Its credentials (below) rotate on its cadence.
CREATE TABLE scoped_tokens (
  id             TEXT PRIMARY KEY,            -- tok_…
  user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  rotation_type  TEXT NOT NULL CHECK (rotation_type IN ('static','hourly','daily','weekly','monthly')),
  created_at     INTEGER NOT NULL,
  last_used_at   INTEGER,
  paused_at      INTEGER,
  revoked_at     INTEGER,
  revoked_reason TEXT CHECK (revoked_reason IN ('user','refresh_reuse'))
);
CREATE INDEX scoped_tokens_user ON scoped_tokens(user_id, created_at DESC);

-- The keys a scoped token may use. Deleting a key removes it from every token.
CREATE TABLE scoped_token_keys (
  token_id  TEXT NOT NULL REFERENCES scoped_tokens(id) ON DELETE CASCADE,
  key_id    TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  PRIMARY KEY (token_id, key_id)
);
CREATE INDEX scoped_token_keys_key ON scoped_token_keys(key_id);

-- Access (vk_scoped_…) and refresh (vk_srt_…) credentials of scoped tokens.
-- A static token has one access credential that never expires; a rotating one
-- gets a new pair at each refresh, which spends the refresh credential
-- (used_at); a spent one presented again revokes the token.
CREATE TABLE scoped_token_credentials (
  hash        TEXT PRIMARY KEY,
  token_id    TEXT NOT NULL REFERENCES scoped_tokens(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('access','refresh')),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,                        -- NULL: never (static tokens)
  used_at     INTEGER
);
CREATE INDEX scoped_token_credentials_token ON scoped_token_credentials(token_id);
