-- vaultedge schema: a cache of Client ID Metadata Documents (worker/oauth/,
-- docs/oauth.md "Clients"). See docs/storage.md.

-- A document fetched for an authorization request is kept, once validated, for
-- its HTTP freshness lifetime (Cache-Control max-age / Expires of its
-- response, at most 24 hours; never with no-store, no-cache or private), so a
-- second authorization with the same client_id within that time fetches
-- nothing. Only what the authorization endpoint uses is stored, in the shape
-- of oauth_clients. The purge (worker/maintenance/purge.cpp) deletes expired rows.
CREATE TABLE oauth_client_documents (
  url               TEXT PRIMARY KEY,          -- the client_id, exactly as requested
  client_name       TEXT NOT NULL,             -- self-declared, shown on consent as such
  client_uri        TEXT,
  logo_uri          TEXT,
  redirect_uris     TEXT NOT NULL,             -- JSON array of exact redirect URIs
  software_id       TEXT,
  software_version  TEXT,
  fetched_at        INTEGER NOT NULL,          -- ms since epoch
  expires_at        INTEGER NOT NULL           -- ms since epoch; the row is unused from then on
);
CREATE INDEX oauth_client_documents_expiry ON oauth_client_documents(expires_at);
