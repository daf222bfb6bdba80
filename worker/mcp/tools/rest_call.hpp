// Runs one of the vault's REST handlers in-process on behalf of an MCP tool
// call, so every tool shares the tested REST code path: the same validation,
// the same guarded D1 batches, the same audit row (key.rotate, …). The tool
// layer only maps arguments to a request and the response to a ToolResult.
//
// The inner request carries the MCP request's origin, client IP, country and
// headers minus Authorization and Cookie (the principal is already
// authenticated and is handed over as is, with `client` set to the MCP
// client's name so the operation's own audit row names it).
#pragma once
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/api/route.hpp"
#include "worker/async/task.hpp"
#include "worker/mcp/call.hpp"
#include "worker/mcp/tool.hpp"
#include "worker/result.hpp"

namespace ve::mcp::tools {

/// One REST operation to run in-process.
struct RestCall {
  std::string_view method;                   ///< "GET", "POST", "DELETE"
  std::string_view route;                    ///< the route pattern, e.g. "/v1/keys/:id/rotate"
  std::vector<std::string> params;           ///< values of the pattern's `:name` segments
  std::map<std::string, std::string> query;  ///< decoded query parameters
  std::optional<boost::json::object> body;   ///< JSON body; none → empty body
  api::HandlerFn handler;                    ///< the REST handler to run
};

/// Runs `call.handler` as ctx.api.principal. A 2xx response → its JSON object
/// body; a ≥ 400 response → Error{status, code, message} from the REST error
/// body (`{"error": message, "code": code}`), its wording adapted to MCP
/// (see mcp_wording). The request and response bodies are wiped afterwards
/// (they may hold a secret: store, rotate, reveal).
async::Task<Result<boost::json::object>> rest_call(CallCtx& ctx, RestCall call);

/// A REST error message reworded for an agent: CLI and HTTP references become
/// the tool that does the same ("run `apilocker list`" → "call list_keys").
std::string mcp_wording(std::string message);

/// ToolResult::failure for `e` (its message and status).
ToolResult failed(const Error& e);

/// Replaces every occurrence of `from` in `s` by `to`.
std::string replace_all(std::string s, std::string_view from, std::string_view to);

}  // namespace ve::mcp::tools
