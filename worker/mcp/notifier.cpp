// Notifier (call.hpp): MCP "Progress" (basic/utilities/progress) and "Logging"
// (server/utilities/logging) notifications collected for one request.
#include <algorithm>

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
  severities_.push_back(-1);
}

void Notifier::log(std::string_view level, boost::json::value data, std::string_view logger) {
  const int severity = log_severity(level);
  if (severity < 0) return;
  boost::json::object params{{"level", level}, {"data", std::move(data)}};
  if (!logger.empty()) params["logger"] = logger;
  messages_.push_back(rpc::notification("notifications/message", std::move(params)));
  severities_.push_back(severity);
}

bool Notifier::has_logs() const {
  return std::any_of(severities_.begin(), severities_.end(), [](int s) { return s >= 0; });
}

void Notifier::drop_logs_above(int min_level) {
  boost::json::array kept;
  std::vector<int> kept_severities;
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    if (severities_[i] >= 0 && (min_level < 0 || severities_[i] > min_level)) continue;
    kept.push_back(std::move(messages_[i]));
    kept_severities.push_back(severities_[i]);
  }
  messages_ = std::move(kept);
  severities_ = std::move(kept_severities);
}

}  // namespace ve::mcp
