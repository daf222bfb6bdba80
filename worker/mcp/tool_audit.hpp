// The audit row of a tools/call (docs/architecture.md "MCP", issue 3 "Audit"): action
// "mcp.tool_call", detail = the tool name, key_id and status from the ToolResult,
// client = the MCP client's label, latency; the audit module adds the principal,
// IP and country. Never arguments, never results.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/mcp/tool.hpp"

namespace ve::mcp {

inline constexpr std::string_view kToolCallAction = "mcp.tool_call";

/// The client label for audit rows: `_meta["io.modelcontextprotocol/clientInfo"].name`
/// when present (2026-07-28 clients send it on every request), else the first
/// product token of User-Agent ("apilocker-cli/1.1.0 node/20" → "apilocker-cli"),
/// else "mcp". Only [A-Za-z0-9._@+-] and spaces kept (others dropped), at most
/// 64 bytes; an empty result falls through to the next source.
std::string client_label(const http::Request& req, const boost::json::object* meta);

/// Writes the row for one tools/call of `tool_name` that ended with `result`.
/// A failure to write is logged by the caller's request log only: the call
/// itself already happened.
async::Task<Result<void>> record_tool_call(api::Ctx& ctx, std::string_view client,
                                           std::string_view tool_name, const ToolResult& result);

}  // namespace ve::mcp
