// What a tool or prompt handler sees of the MCP request besides its arguments,
// and the notifications it may send before its result.
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  /// `notifications/message` at RFC 5424 `level` ("debug" … "emergency").
  /// `data` must not hold secrets. Kept until drop_logs_above() applies the
  /// client's level, so a call that logs nothing never pays for looking it up.
  void log(std::string_view level, boost::json::value data, std::string_view logger = "vaultedge");

  /// Set by the dispatcher before the handler runs: params._meta.progressToken.
  std::optional<boost::json::value> progress_token;

  /// True when log() was called (the dispatcher then looks up the client's level).
  bool has_logs() const;
  /// Removes log notifications less severe than `min_level` (RFC 5424 severity:
  /// 0 emergency … 7 debug; a negative value removes them all).
  void drop_logs_above(int min_level);

  /// The JSON-RPC notification objects collected so far, in order.
  boost::json::array& messages() { return messages_; }

 private:
  boost::json::array messages_;
  std::vector<int> severities_;  ///< per message: its log severity, or -1 for progress
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
