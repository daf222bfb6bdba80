// Deleting KV blobs listed in `blob_deletions` (migrations/0011, docs/storage.md
// "Account deletion"): KV has no transactions, so a blob to delete is first
// listed in D1 in the same batch that drops its last reference; its row goes
// only once the KV delete succeeded. Used by DELETE /v1/account and by the
// hourly purge, which retries what an account deletion could not finish.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "worker/async/io.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::maintenance {

/// Most blobs one request or one purge run deletes: bounds the KV
/// subrequests of one Worker invocation (Cloudflare limits them per request).
inline constexpr std::size_t kBlobDeletesPerRun = 100;

struct BlobSweep {
  std::int64_t deleted = 0;  ///< blobs deleted from KV whose row is gone
  std::int64_t pending = 0;  ///< blobs still listed (failed KV delete, or beyond the bound)
};

/// Deletes the first kBlobDeletesPerRun of `blob_keys` from KV (in parallel),
/// then, in one D1 batch, the blob_deletions rows of those deleted; the rest
/// stay listed (`pending`). Errors: D1's (503) when the rows could not be
/// deleted — the blobs are gone either way and a later sweep deletes them
/// again harmlessly (a KV delete of a missing key succeeds).
async::Task<Result<BlobSweep>> delete_listed_blobs(async::Io& io,
                                                   std::vector<std::string> blob_keys);

/// The purge's share: the oldest kBlobDeletesPerRun rows of blob_deletions
/// through delete_listed_blobs (`pending` counts only this run's failures).
/// Errors: D1's (503).
async::Task<Result<BlobSweep>> sweep_blob_deletions(async::Io& io);

}  // namespace ve::maintenance
