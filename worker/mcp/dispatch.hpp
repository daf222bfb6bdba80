// Routes one JSON-RPC request to its method handler (methods.hpp) according to
// the revision that governs it, and shapes the result for that revision.
#pragma once
#include "worker/mcp/methods.hpp"

namespace ve::mcp {

/// Methods per revision:
///   2025-06-18, 2025-11-25: initialize, ping, logging/setLevel, tools/list,
///     tools/call, prompts/list, prompts/get, completion/complete, and
///     resources/list, resources/read, resources/templates/list when the
///     extension serves resources;
///   2026-07-28: server/discover and the same feature methods (no initialize,
///     ping or logging/setLevel: the revision has none).
/// Anything else → -32601 (HTTP 200 in-band on 2025 revisions; 404 on
/// 2026-07-28, as the reference server answers it). On 2026-07-28 every result
/// gets `resultType: "complete"`, and the cacheable ones (lists, resources/read,
/// server/discover) `ttlMs: 0` and `cacheScope: "private"` (they are per user).
async::Task<MethodResult> dispatch(Exchange& ex);

}  // namespace ve::mcp
