-- vaultedge schema: the OAuth 2.1 authorization server for remote MCP clients
-- (worker/oauth/, docs/oauth.md). Every credential is stored only as the
-- lower-case hex SHA-256 of the full string (columns named *_hash).

-- Clients registered through RFC 7591 dynamic registration. Clients that use a
-- Client ID Metadata Document (client_id = an https URL) have no row: their
-- document is fetched at each authorization request.
CREATE TABLE oauth_clients (
  id                TEXT PRIMARY KEY,          -- client_id, vc_…
  client_name       TEXT NOT NULL,             -- self-declared, shown on consent as such
  client_uri        TEXT,
  logo_uri          TEXT,
  redirect_uris     TEXT NOT NULL,             -- JSON array of exact redirect URIs
  software_id       TEXT,
  software_version  TEXT,
  created_at        INTEGER NOT NULL
);

-- Consent screens shown and not answered yet. The form carries only the
-- request's random id (its hash is the key); everything the decision needs was
-- validated and stored here, so a submitted form cannot change it. Deleted
-- when answered: each can be answered once.
CREATE TABLE oauth_requests (
  id_hash         TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id       TEXT NOT NULL,
  client_name     TEXT NOT NULL,
  redirect_uri    TEXT NOT NULL,
  scope           TEXT NOT NULL,               -- space-separated, as requested
  resource        TEXT NOT NULL,               -- RFC 8707 target, canonical
  code_challenge  TEXT NOT NULL,               -- PKCE S256 (RFC 7636 §4.2)
  state           TEXT,                        -- echoed to the client, never interpreted
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL
);
CREATE INDEX oauth_requests_user ON oauth_requests(user_id);

-- One grant per approved consent: the "connected app" a user sees and revokes
-- (/v1/oauth/grants), and the refresh-token family of RFC 6819 §5.2.2.3 /
-- OAuth 2.1 §4.3.1 — revoking it kills every token issued under it.
CREATE TABLE oauth_grants (
  id              TEXT PRIMARY KEY,            -- UUID
  user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id       TEXT NOT NULL,
  client_name     TEXT NOT NULL,
  redirect_uri    TEXT NOT NULL,
  scope           TEXT NOT NULL,               -- space-separated, as granted
  resource        TEXT NOT NULL,               -- audience of every access token
  created_at      INTEGER NOT NULL,
  activated_at    INTEGER,                     -- first code exchange; NULL: never used
  last_used_at    INTEGER,
  rotation_count  INTEGER NOT NULL DEFAULT 0,  -- refresh-token rotations so far
  revoked_at      INTEGER,
  revoked_reason  TEXT CHECK (revoked_reason IN ('user','client','code_replay','refresh_reuse'))
);
CREATE INDEX oauth_grants_user ON oauth_grants(user_id, created_at DESC);

-- Authorization codes (RFC 6749 §4.1.2): single use, 60 seconds.
CREATE TABLE oauth_codes (
  code_hash       TEXT PRIMARY KEY,
  grant_id        TEXT NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
  client_id       TEXT NOT NULL,
  redirect_uri    TEXT NOT NULL,
  code_challenge  TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  used_at         INTEGER                      -- set by the one exchange that may succeed
);
CREATE INDEX oauth_codes_grant ON oauth_codes(grant_id);

-- Access tokens (vk_at_…, 1 hour) and refresh tokens (vk_rt_…, 30 days, rotated
-- on every use: used_at marks a spent one, and presenting it again revokes
-- the grant).
CREATE TABLE oauth_tokens (
  token_hash  TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('access','refresh')),
  grant_id    TEXT NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
  scope       TEXT NOT NULL,                 -- ⊆ the grant's (a refresh may narrow it)
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER,
  revoked_at  INTEGER
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens(grant_id);
