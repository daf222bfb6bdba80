-- vaultedge schema: additions for the MCP server (worker/mcp/). See docs/storage.md.

-- The minimum log level an MCP client chose with logging/setLevel (2025 revisions).
-- The server is stateless (no MCP session), so the choice is kept per principal:
-- the user, the actor kind (session | master | scoped | oauth) and the actor id
-- (device id, token id, OAuth client id; '' for a browser session).
CREATE TABLE mcp_log_levels (
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL DEFAULT '',
  level       TEXT NOT NULL CHECK (level IN ('debug','info','notice','warning','error',
                                             'critical','alert','emergency')),
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, actor_kind, actor_id)
);
