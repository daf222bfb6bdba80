// What a tool or prompt handler sees of the MCP request besides its arguments,
// and the notifications it may send before its result.
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "worker/api/context.hpp"
#include "worker/mcp/revision.hpp"

namespace ve::mcp {

/// Collects server→client notifications produced while one request is being
/// answered (MCP "Progress" and "Logging" utilities). The transport sends them
/// ahead of the result when the response is an SSE stream, and drops them when
/// it answers with plain JSON (the client did not accept text/event-stream).
class Notifier {
 public:
  /// `notifications/progress` for the request's progressToken; no-op when the
  /// request carried none. `progress` increases on every call (spec: MUST).
  void progress(double progress, std::optional<double> total = std::nullopt,
                std::optional<std::string> message = std::nullopt);
  /// `notifications/message` at RFC 5424 `level` ("debug" … "emergency"); dropped
  /// when below the client's level (`logging/setLevel`). `data` must not hold secrets.
  void log(std::string_view level, boost::json::value data, std::string_view logger = "vaultedge");

  // Set by the dispatcher before the handler runs.
  std::optional<boost::json::value> progress_token;  ///< params._meta.progressToken
  int min_level = 6;  ///< RFC 5424 severity of the lowest level sent (6 = info)

  /// The JSON-RPC notification objects collected so far, in order.
  boost::json::array& messages() { return messages_; }

 private:
  boost::json::array messages_;
};

/// Per-call context. `api.principal` is authenticated; every vault query is
/// keyed by `api.principal.user_id`.
struct CallCtx {
  api::Ctx& api;
  Revision revision;
  std::string client;  ///< MCP client name for audit rows ("claude-code", "apilocker-cli", "mcp")
  Notifier& notify;
};

}  // namespace ve::mcp
