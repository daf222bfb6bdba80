-- vaultedge schema: blobs waiting to be deleted from KV (worker/account/
-- delete_account.cpp, worker/maintenance/blob_deletions.cpp, docs/storage.md
-- "Account deletion"). See docs/storage.md.
--
-- Deleting an account removes every D1 row of the user in one batch, which
-- also lists here every blob the user's key versions named; the KV deletes
-- come after the batch (KV is not transactional) and each one that succeeds
-- removes its row. A row left behind (a failed KV delete) names unreferenced
-- ciphertext, which the hourly purge deletes, at most 100 blobs per run.
-- `user_id` has no foreign key: the row outlives the user on purpose.
CREATE TABLE blob_deletions (
  blob_key    TEXT PRIMARY KEY,              -- blob/{user}/{key}/{version}
  user_id     TEXT NOT NULL,                 -- whose blob it was (for operators)
  created_at  INTEGER NOT NULL               -- ms since epoch; the purge goes oldest first
);
CREATE INDEX blob_deletions_age ON blob_deletions(created_at);
