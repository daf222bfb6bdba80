// The D1 cache of validated Client ID Metadata Documents
// (oauth_client_documents, migrations/0009): a document is fetched at most
// once per HTTP freshness lifetime (freshness.hpp), not at every authorization
// request. Mutable state, hence D1 (docs/architecture.md "Storage and consistency").
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/oauth/clients.hpp"
#include "worker/result.hpp"

namespace ve::oauth {

/// The cached client for the document URL `url` (exact string) when a row
/// exists whose expires_at is after now; nullopt when none is fresh. The client
/// has from_document = true and id = url. Error 503 when D1 is unavailable.
async::Task<Result<std::optional<Client>>> cached_document(api::Ctx& ctx, const std::string& url);

/// Stores (or replaces) the validated `client` (id = its document URL) for
/// `lifetime_ms` from now. Callers store only when lifetime_ms > 0. Error 503
/// when D1 is unavailable; the authorization goes on without the cache then.
async::Task<Result<void>> store_document(api::Ctx& ctx, const Client& client,
                                         std::int64_t lifetime_ms);

}  // namespace ve::oauth
