// The one place that decides whether a principal may use an MCP tool or prompt
// (docs/architecture.md "Principals and authorization").
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "worker/auth/principal.hpp"
#include "worker/mcp/jsonrpc.hpp"
#include "worker/mcp/tool.hpp"
#include "worker/result.hpp"

namespace ve::mcp {

/// May `principal` use something that needs OAuth `scope` ("vault:read",
/// "vault:write", "vault:proxy")? Browser sessions and device master tokens may
/// do everything; OAuth access tokens need the scope (403 `insufficient_scope`,
/// naming it, for step-up); scoped tokens are refused (403 `forbidden`): they
/// reach only the tools that permit_tool lets through.
Result<void> permit(const auth::Principal& principal, std::string_view scope);

/// May `principal` call `tool`? A scoped token only the tools that honour its
/// allowed_keys (Tool::honours_allowed_keys; 403 `forbidden` naming them);
/// everyone else as permit(principal, tool.scope).
Result<void> permit_tool(const auth::Principal& principal, const Tool& tool);

/// For an OAuth principal that lacks `scope`: the HTTP 403 JSON-RPC error that
/// asks the client to step up (MCP 2025-11-25 authorization, "Scope Challenge
/// Handling"). Its `data.scope` holds the scopes to request — those already
/// held plus `scope` — for the `WWW-Authenticate: Bearer
/// error="insufficient_scope"` header that step_up_challenge() builds.
/// nullopt when the principal is not OAuth or holds the scope.
std::optional<rpc::RpcError> step_up(const auth::Principal& principal, std::string_view scope);

/// The scope list a step_up() error asks for, or nullopt when `e` is not one.
std::optional<std::string> step_up_scope(const rpc::RpcError& e);

}  // namespace ve::mcp
