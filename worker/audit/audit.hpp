// Audit rows: metadata only — never values, bodies, arguments or credentials
// (docs/architecture.md). A row is a Statement so callers put it in the same D1 batch as
// the change it records: the change and its audit row commit together.
#pragma once
#include <optional>
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/effect.hpp"

namespace ve::audit {

struct Entry {
  std::string action;  ///< e.g. "key.create", "key.reveal", "device.revoke", "mcp.tools/call"
  int status = 200;    ///< HTTP status of the operation
  std::optional<std::string> key_id;
  std::optional<std::string> key_name;
  std::optional<std::string> token_id;
  std::optional<std::string> detail;  ///< short non-secret note, e.g. "version 3"
};

/// INSERT for one audit row: user, actor (principal kind/id/client), source IP
/// and country from the request, latency since the request started.
async::Statement insert(const api::Ctx& ctx, const Entry& entry);

/// Records an audit row on its own (for reads and refusals that change nothing).
/// Failure to write is reported to the caller, who decides whether it matters.
async::Task<Result<void>> record(api::Ctx& ctx, const Entry& entry);

}  // namespace ve::audit
