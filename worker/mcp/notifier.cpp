// Notifier (call.hpp): MCP "Progress" (basic/utilities/progress) and "Logging"
// (server/utilities/logging) notifications collected for one request.
#include "worker/mcp/call.hpp"
#include "worker/mcp/jsonrpc.hpp"
#include "worker/mcp/logging.hpp"

namespace ve::mcp {

void Notifier::progress(double progress, std::optional<double> total,
                        std::optional<std::string> message) {
  if (!progress_token) return;
  boost::json::object params{{"progressToken", *progress_token}, {"progress", progress}};
  if (total) params["total"] = *total;
  if (message) params["message"] = *message;
  messages_.push_back(rpc::notification("notifications/progress", std::move(params)));
}

void Notifier::log(std::string_view level, boost::json::value data, std::string_view logger) {
  const int severity = log_severity(level);
  if (severity < 0 || severity > min_level) return;
  boost::json::object params{{"level", level}, {"data", std::move(data)}};
  if (!logger.empty()) params["logger"] = logger;
  messages_.push_back(rpc::notification("notifications/message", std::move(params)));
}

}  // namespace ve::mcp
