// The one place that decides whether a principal may use an MCP tool or prompt
// (DESIGN.md "Principals and authorization").
#pragma once
#include <string_view>

#include "worker/auth/principal.hpp"
#include "worker/result.hpp"

namespace ve::mcp {

/// May `principal` use something that needs OAuth `scope` ("vault:read",
/// "vault:write", "vault:proxy")? Browser sessions and device master tokens may
/// do everything; OAuth access tokens need the scope (403 `insufficient_scope`,
/// naming it, for step-up); scoped tokens reach no vault tool yet, because the
/// operations behind them do not apply `allowed_keys` (403 `forbidden`).
Result<void> permit(const auth::Principal& principal, std::string_view scope);

}  // namespace ve::mcp
