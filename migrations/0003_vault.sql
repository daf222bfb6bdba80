-- vaultedge schema: additions for the vault domain (worker/vault/). See docs/storage.md.

-- Batch guards. D1 has no interactive transactions, so a batch cannot read a
-- row and then decide to roll back. Instead a batch may contain
--
--   INSERT INTO batch_guard (reason) SELECT '<reason>' WHERE <precondition broken>
--
-- which inserts nothing while the precondition holds and otherwise violates the
-- CHECK constraint named after the reason, aborting the whole batch (every
-- statement rolls back). The error message names the constraint, which the core
-- maps to a 404/409 (worker/vault/guard.hpp). No row can ever be stored here.
CREATE TABLE batch_guard (
  reason TEXT NOT NULL,
  CONSTRAINT guard_name_taken  CHECK (reason <> 'name_taken'),   -- a key name or alias is in use
  CONSTRAINT guard_key_changed CHECK (reason <> 'key_changed'),  -- a concurrent change won
  CONSTRAINT guard_key_missing CHECK (reason <> 'key_missing'),  -- the key was deleted meanwhile
  CONSTRAINT guard_state       CHECK (reason <> 'state'),        -- already paused / not paused
  CONSTRAINT guard_reason      CHECK (reason IN ('name_taken', 'key_changed', 'key_missing', 'state'))
);

-- Listing a key's old names, and deleting them with the key.
CREATE INDEX key_aliases_key ON key_aliases(key_id);
-- A key's versions by stage (the current, previous and pending ones).
CREATE INDEX key_versions_stage ON key_versions(key_id, stage);
