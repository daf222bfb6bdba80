// The one place that decides whether a principal may use an MCP tool or prompt
// (DESIGN.md "Principals and authorization").
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "worker/auth/principal.hpp"
#include "worker/mcp/jsonrpc.hpp"
#include "worker/result.hpp"

namespace ve::mcp {

/// May `principal` use something that needs OAuth `scope` ("vault:read",
/// "vault:write", "vault:proxy")? Browser sessions and device master tokens may
/// do everything; OAuth access tokens need the scope (403 `insufficient_scope`,
/// naming it, for step-up); scoped tokens reach no vault tool yet, because the
/// operations behind them do not apply `allowed_keys` (403 `forbidden`).
Result<void> permit(const auth::Principal& principal, std::string_view scope);

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
