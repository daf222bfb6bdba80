-- vaultedge schema v1. All mutable state lives here (docs/architecture.md "Storage and
-- consistency"); KV holds only immutable ciphertext blobs named in key_versions.
-- Timestamps are INTEGER milliseconds since the Unix epoch (UTC).
-- Every bearer credential is stored only as the lower-case hex SHA-256 of the
-- full token string (columns named *_hash). See docs/storage.md.

CREATE TABLE users (
  id          TEXT PRIMARY KEY,              -- usr_…
  email       TEXT NOT NULL UNIQUE,          -- lower-cased
  created_at  INTEGER NOT NULL
);

-- Upstream sign-in identities (GitHub, Google, any OIDC issuer, dev form).
CREATE TABLE identities (
  provider    TEXT NOT NULL,                 -- 'github' | 'google' | 'oidc:<name>' | 'dev'
  subject     TEXT NOT NULL,                 -- the provider's stable user id
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email       TEXT,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (provider, subject)
);

-- Browser sessions (cookie __Host-vaultedge_session).
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- In-flight upstream sign-ins: single-use `state`, PKCE verifier and OIDC nonce.
CREATE TABLE login_states (
  state_hash     TEXT PRIMARY KEY,
  provider       TEXT NOT NULL,
  code_verifier  TEXT NOT NULL,
  nonce          TEXT NOT NULL,
  return_to      TEXT NOT NULL,
  expires_at     INTEGER NOT NULL
);

-- RFC 8628-shaped device authorization for `apilocker register`.
CREATE TABLE device_codes (
  device_code_hash  TEXT PRIMARY KEY,
  user_code         TEXT NOT NULL UNIQUE,     -- XXXX-XXXX, shown to the user
  status            TEXT NOT NULL CHECK (status IN ('pending','approved','denied','consumed')),
  requested_name    TEXT,
  hostname          TEXT,
  platform          TEXT,
  platform_version  TEXT,
  cli_version       TEXT,
  user_id           TEXT REFERENCES users(id) ON DELETE CASCADE,
  interval_s        INTEGER NOT NULL,
  last_poll_at      INTEGER,
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL
);

CREATE TABLE devices (
  id                TEXT PRIMARY KEY,         -- dev_…
  user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  hostname          TEXT,
  platform          TEXT,
  platform_version  TEXT,
  cli_version       TEXT,
  fingerprint       TEXT,
  created_at        INTEGER NOT NULL,
  last_used_at      INTEGER,
  revoked_at        INTEGER
);
CREATE INDEX devices_user ON devices(user_id);

-- One master token per device (vk_master_…).
CREATE TABLE master_tokens (
  token_hash  TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL UNIQUE REFERENCES devices(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE keys (
  id                TEXT PRIMARY KEY,         -- key_…
  user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  provider          TEXT NOT NULL,
  category          TEXT NOT NULL CHECK (category IN ('llm','service','oauth')),
  credential_type   TEXT NOT NULL CHECK (credential_type IN ('api_key','oauth2')),
  tags              TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  base_url          TEXT,
  auth_header_type  TEXT,
  current_version   INTEGER NOT NULL,          -- pointer into key_versions
  created_at        INTEGER NOT NULL,
  rotated_at        INTEGER,
  paused_at         INTEGER,
  last_used_at      INTEGER,
  UNIQUE (user_id, name)
);

-- Names a key had before a rename; they keep resolving (deprecated_alias).
CREATE TABLE key_aliases (
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  key_id      TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, name)
);

-- Every version of every key: the rotation history. The value itself is the
-- envelope-encrypted blob in KV at `blob_key`, written once, never overwritten.
CREATE TABLE key_versions (
  key_id       TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  user_id      TEXT NOT NULL,
  stage        TEXT CHECK (stage IN ('current','pending','previous')),  -- NULL: retired
  kid          TEXT NOT NULL,                  -- KEK that wraps this version's DEK
  fingerprint  TEXT NOT NULL,                  -- HMAC-SHA256 of the value (leak detection)
  blob_key     TEXT NOT NULL,                  -- blob/{user}/{key}/{version}
  created_at   INTEGER NOT NULL,
  retired_at   INTEGER,
  PRIMARY KEY (key_id, version)
);

-- Metadata only: never values, bodies or credentials.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  actor_kind   TEXT NOT NULL,                  -- session | master | scoped | oauth | system
  actor_id     TEXT,                           -- device id, token id, client id
  action       TEXT NOT NULL,                  -- e.g. key.reveal, key.rotate, device.revoke
  key_id       TEXT,
  key_name     TEXT,
  token_id     TEXT,
  client       TEXT,                           -- e.g. "apilocker-cli", an MCP client name
  source_ip    TEXT,
  country      TEXT,
  status       INTEGER NOT NULL,               -- HTTP status of the operation
  latency_ms   INTEGER,
  detail       TEXT                            -- short non-secret note, e.g. "version 3"
);
CREATE INDEX audit_user_time ON audit_log(user_id, id DESC);
CREATE INDEX audit_user_key ON audit_log(user_id, key_id, id DESC);
