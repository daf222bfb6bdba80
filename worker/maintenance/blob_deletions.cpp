#include "worker/maintenance/blob_deletions.hpp"

#include <boost/json.hpp>

#include "worker/store/rows.hpp"

namespace ve::maintenance {

async::Task<Result<BlobSweep>> delete_listed_blobs(async::Io& io,
                                                   std::vector<std::string> blob_keys) {
  BlobSweep out;
  const std::size_t n = std::min(blob_keys.size(), kBlobDeletesPerRun);
  out.pending = static_cast<std::int64_t>(blob_keys.size() - n);
  if (n == 0) co_return out;
  std::vector<async::Effect> deletes;
  deletes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) deletes.emplace_back(async::KvDelete{blob_keys[i]});
  auto results = co_await io.perform(std::move(deletes));
  boost::json::array done;
  for (std::size_t i = 0; i < n; ++i) {
    if (i < results.size() && results[i].ok) {
      done.emplace_back(blob_keys[i]);
    } else {
      ++out.pending;
    }
  }
  if (done.empty()) co_return out;
  // One bound parameter whatever the count: D1 allows at most 100 per statement.
  std::vector<async::Statement> batch;
  batch.push_back({"DELETE FROM blob_deletions WHERE blob_key IN (SELECT value FROM json_each(?1))",
                   {boost::json::serialize(done)}});
  auto rows = co_await io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  out.deleted = static_cast<std::int64_t>(done.size());
  co_return out;
}

async::Task<Result<BlobSweep>> sweep_blob_deletions(async::Io& io) {
  std::vector<async::Statement> batch;
  batch.push_back({"SELECT blob_key FROM blob_deletions ORDER BY created_at, blob_key LIMIT ?1",
                   {static_cast<std::int64_t>(kBlobDeletesPerRun)}});
  auto rows = co_await io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& listed = rows.value()[0];
  std::vector<std::string> keys;
  keys.reserve(listed.rows.size());
  for (std::size_t i = 0; i < listed.rows.size(); ++i) {
    keys.push_back(store::text_or_empty(listed, i, "blob_key"));
  }
  co_return co_await delete_listed_blobs(io, std::move(keys));
}

}  // namespace ve::maintenance
