#include "worker/json/json.hpp"
#include "worker/mcp/tool.hpp"

namespace ve::mcp {

ToolResult ToolResult::success(boost::json::object structured) {
  ToolResult r;
  r.content.push_back(boost::json::object{{"type", "text"}, {"text", json::dump(structured)}});
  r.structured = std::move(structured);
  return r;
}

ToolResult ToolResult::failure(std::string message, int status) {
  ToolResult r;
  r.content.push_back(boost::json::object{{"type", "text"}, {"text", std::move(message)}});
  r.is_error = true;
  r.status = status;
  return r;
}

}  // namespace ve::mcp
