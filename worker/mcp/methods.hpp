// Internal to worker/mcp: one JSON-RPC request being answered, and the method
// handlers the dispatcher (dispatch.cpp) routes to. Each handler returns the
// method's result object (without `resultType`: the dispatcher stamps it on
// 2026-07-28) or an RpcError.
#pragma once
#include <boost/json.hpp>
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/mcp/call.hpp"
#include "worker/mcp/jsonrpc.hpp"
#include "worker/mcp/revision.hpp"

namespace ve::mcp {

struct Exchange {
  api::Ctx& api;
  Revision revision;
  const rpc::Message& msg;
  std::string client;  ///< audit label (tool_audit.hpp)
  bool sse = false;    ///< the client accepts text/event-stream
  Notifier notify;
};

using MethodResult = rpc::Rpc<boost::json::object>;
using MethodFn = async::Task<MethodResult> (*)(Exchange& ex);

// lifecycle.cpp (basic/lifecycle; 2026-07-28 server/discover; basic/utilities/ping)
async::Task<MethodResult> initialize(Exchange& ex);
async::Task<MethodResult> discover(Exchange& ex);
async::Task<MethodResult> ping(Exchange& ex);
/// ServerCapabilities: only what exists (tools; prompts+completions when there
/// are prompts; logging; resources when the extension serves any).
boost::json::object server_capabilities(Revision r);
/// Implementation {name, title, version}.
boost::json::object server_info();

// tools_methods.cpp (server/tools)
async::Task<MethodResult> tools_list(Exchange& ex);
async::Task<MethodResult> tools_call(Exchange& ex);

// prompts_methods.cpp (server/prompts, server/utilities/completion)
async::Task<MethodResult> prompts_list(Exchange& ex);
async::Task<MethodResult> prompts_get(Exchange& ex);
async::Task<MethodResult> complete(Exchange& ex);

// resources_methods.cpp (server/resources)
async::Task<MethodResult> resources_list(Exchange& ex);
async::Task<MethodResult> resources_read(Exchange& ex);
async::Task<MethodResult> resource_templates_list(Exchange& ex);

// logging_methods.cpp (server/utilities/logging)
async::Task<MethodResult> set_level(Exchange& ex);

}  // namespace ve::mcp
