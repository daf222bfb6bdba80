// A tool as MCP "Tools" (server/tools) defines it: name, description, JSON
// Schemas for input and output, behaviour annotations, and the handler.
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/async/task.hpp"
#include "worker/mcp/call.hpp"

namespace ve::mcp {

/// The result of a tools/call (CallToolResult). Failures a caller can fix are
/// results with `is_error` and a message that says what to do — never JSON-RPC
/// errors (spec: "Error Handling" of server/tools).
struct ToolResult {
  boost::json::array content;                     ///< ContentBlock[]
  std::optional<boost::json::object> structured;  ///< structuredContent (matches outputSchema)
  bool is_error = false;
  int status = 200;                   ///< HTTP-style status of the operation, for the audit row
  std::optional<std::string> key_id;  ///< the key the call touched, for the audit row

  /// Success: `structured` as structuredContent and, for clients that read only
  /// `content`, the same object serialised as one text block.
  static ToolResult success(boost::json::object structured);
  /// Failure: isError with `message` as its only text block; `status` is the
  /// HTTP-style status recorded in the audit row (400 bad arguments, 404 …).
  static ToolResult failure(std::string message, int status = 400);
};

/// MCP ToolAnnotations. They are hints a client shows the user, so they must
/// tell the truth (docs/architecture.md "MCP").
struct ToolAnnotations {
  bool read_only = false;    ///< readOnlyHint: changes nothing
  bool destructive = false;  ///< destructiveHint: may destroy or replace data irreversibly
  bool idempotent = false;   ///< idempotentHint: repeating the call has no further effect
  bool open_world = false;   ///< openWorldHint: reaches outside the vault (e.g. a provider)
};

/// `args` is params.arguments (`{}` when absent), already validated against
/// `input_schema`.
using ToolFn = async::Task<ToolResult> (*)(CallCtx& ctx, const boost::json::object& args);

struct Tool {
  std::string_view name;           ///< API Locker's name where one exists, e.g. "list_keys"
  std::string_view title;          ///< human-readable, e.g. "List keys"
  std::string_view description;    ///< what it does, when to use it, what it never returns
  std::string_view input_schema;   ///< JSON Schema (an object schema) as JSON text
  std::string_view output_schema;  ///< JSON Schema of structuredContent; "" for none
  ToolAnnotations annotations;
  std::string_view scope;  ///< OAuth scope needed: "vault:read", "vault:write" or "vault:proxy"
  ToolFn call;
  /// True when the tool touches only keys the principal may use
  /// (Principal::may_use_key): the only tools a scoped token may call.
  bool honours_allowed_keys = false;
};

/// Runs `tool` as ctx.api.principal: an isError result (403) when the principal
/// lacks `tool.scope` (mcp/permission.hpp), an isError result (400) naming the
/// field when `args` breaks `tool.input_schema`, else the tool's own result.
/// tools/call uses it and adds the audit row; it writes none itself.
async::Task<ToolResult> run_tool(CallCtx& ctx, const Tool& tool, const boost::json::object& args);

/// The vault's tools (worker/mcp/tools/), in tools/list order. Only tools that
/// work end to end are here.
const std::vector<Tool>& vault_tools();

}  // namespace ve::mcp
