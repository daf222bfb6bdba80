// tools/list and tools/call (server/tools).
#include "worker/mcp/catalog.hpp"
#include "worker/mcp/envelope.hpp"
#include "worker/mcp/logging.hpp"
#include "worker/mcp/methods.hpp"
#include "worker/mcp/pagination.hpp"
#include "worker/mcp/permission.hpp"
#include "worker/mcp/schema.hpp"
#include "worker/mcp/tool_audit.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {

bj::object tool_object(const Tool& t) {
  bj::object o{{"name", t.name}};
  if (!t.title.empty()) o["title"] = t.title;
  o["description"] = t.description;
  o["inputSchema"] = schema_document(t.input_schema);
  if (!t.output_schema.empty()) o["outputSchema"] = schema_document(t.output_schema);
  bj::object ann{{"readOnlyHint", t.annotations.read_only},
                 {"destructiveHint", t.annotations.destructive},
                 {"idempotentHint", t.annotations.idempotent},
                 {"openWorldHint", t.annotations.open_world}};
  if (!t.title.empty()) ann["title"] = t.title;
  o["annotations"] = std::move(ann);
  return o;
}

bj::object result_object(ToolResult r) {
  bj::object o{{"content", std::move(r.content)}};
  if (r.structured) o["structuredContent"] = std::move(*r.structured);
  o["isError"] = r.is_error;
  return o;
}

/// The least severe log level this call may send (RFC 5424 severity; kNoLogs
/// for none).
async::Task<int> min_level(Exchange& ex) {
  if (is_stateless(ex.revision)) {
    // 2026-07-28: the client opts in per request.
    const auto* meta = ex.msg.meta();
    const auto* level = meta ? meta->if_contains(kLogLevelKey) : nullptr;
    co_return level && level->is_string() ? log_severity(level->as_string()) : kNoLogs;
  }
  // Called only when the call logged something and the answer is SSE: the one
  // D1 round trip that other calls never pay.
  std::vector<async::Statement> batch;
  batch.push_back(load_log_level(ex.api.principal));
  auto rows = co_await ex.api.io.d1_batch(std::move(batch));
  if (!rows.ok() || rows.value().empty()) co_return kDefaultLogLevel;
  co_return min_level_from(rows.value().front());
}

}  // namespace

async::Task<ToolResult> run_tool(CallCtx& ctx, const Tool& tool, const bj::object& args) {
  if (auto allowed = permit_tool(ctx.api.principal, tool); !allowed.ok()) {
    co_return ToolResult::failure(
        "`" + std::string(tool.name) + "` refused: " + allowed.error().message,
        allowed.error().status);
  }
  if (auto problem = check_arguments(tool.input_schema, args)) {
    co_return ToolResult::failure("Invalid arguments for `" + std::string(tool.name) +
                                      "`: " + *problem +
                                      ". Fix the arguments (see the tool's inputSchema) and call "
                                      "it again.",
                                  400);
  }
  co_return co_await tool.call(ctx, args);
}

async::Task<MethodResult> tools_list(Exchange& ex) {
  const auto& tools = catalog().tools;
  auto page = page_for(ex.msg.params, "tools", tools.size());
  if (!page.ok()) co_return page.error();
  bj::array list;
  for (std::size_t i = page.value().begin; i < page.value().end; ++i) {
    list.push_back(tool_object(*tools[i]));
  }
  bj::object result{{"tools", std::move(list)}};
  add_next_cursor(result, page.value());
  co_return result;
}

async::Task<MethodResult> tools_call(Exchange& ex) {
  const auto& params = ex.msg.params;
  const auto* name = params.if_contains("name");
  if (!name || !name->is_string()) {
    co_return rpc::invalid_params(
        "Invalid params: tools/call needs \"name\", the name of a tool from tools/list");
  }
  const auto* args_value = params.if_contains("arguments");
  if (args_value && !args_value->is_null() && !args_value->is_object()) {
    co_return rpc::invalid_params("Invalid params: \"arguments\" must be an object");
  }
  const Tool* tool = catalog().tool(name->as_string());
  if (!tool) {
    std::string shown(name->as_string().subview().substr(0, 64));
    co_return rpc::invalid_params("Invalid params: unknown tool \"" + shown +
                                  "\"; tools/list names the tools this server offers");
  }
  if (auto refusal = step_up(ex.api.principal, tool->scope)) co_return std::move(*refusal);
  static const bj::object kNoArguments;
  const bj::object& args =
      args_value && args_value->is_object() ? args_value->as_object() : kNoArguments;
  if (ex.api.principal.kind != auth::Principal::Kind::oauth) ex.api.principal.client = ex.client;

  if (const auto* meta = ex.msg.meta()) {
    if (const auto* token = meta->if_contains("progressToken");
        token && (token->is_string() || token->is_int64() || token->is_uint64())) {
      ex.notify.progress_token = *token;
    }
  }
  CallCtx cc{ex.api, ex.revision, ex.client, ex.notify};
  ToolResult result = co_await run_tool(cc, *tool, args);
  // Notifications travel only on an SSE answer; log messages only at or above
  // the client's level.
  if (ex.sse && ex.notify.has_logs()) ex.notify.drop_logs_above(co_await min_level(ex));
  auto audited = co_await record_tool_call(ex.api, ex.client, tool->name, result);
  (void)audited;  // the call already happened; its own writes carry their own rows
  co_return result_object(std::move(result));
}

}  // namespace ve::mcp
