// Helpers for the MCP tool and prompt host tests: run one tool, prompt or
// completion in-process on a HostRunner's SQLite and KV, as a vault user
// authenticated by their device master token (as the /v1/mcp route would) or
// as an explicit principal, and check JSON against a tool's JSON Schema.
#pragma once
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/host_runner.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/auth/principal.hpp"
#include "worker/mcp/prompt.hpp"
#include "worker/mcp/tool.hpp"

namespace ve::test {

/// The tool `name` of vault_tools() (aborts when there is none).
const mcp::Tool& vault_tool(std::string_view name);
/// The prompt `name` of vault_prompts() (aborts when there is none).
const mcp::Prompt& vault_prompt(std::string_view name);

/// Runs tool `name` with `args` as `user` (or as `as` when given).
mcp::ToolResult call_tool(host::HostRunner& host, const VaultUser& user, std::string_view name,
                          boost::json::object args = {},
                          std::optional<auth::Principal> as = std::nullopt);

/// prompts/get of `name` with `args` as `user`.
Result<boost::json::object> get_prompt(host::HostRunner& host, const VaultUser& user,
                                       std::string_view name,
                                       std::map<std::string, std::string> args);

/// completion/complete of argument `argument` of prompt `name` as `user`.
Result<std::vector<std::string>> complete_prompt(host::HostRunner& host, const VaultUser& user,
                                                 std::string_view name, std::string_view argument,
                                                 std::string_view prefix);

/// All text blocks of a result's content, concatenated.
std::string result_text(const mcp::ToolResult& r);

/// The text of a GetPromptResult's messages, concatenated.
std::string prompt_text(const boost::json::object& prompt);

/// "" when `v` conforms to `schema`, else where and why not. Covers the subset
/// our schemas use: type (one or a list), enum, required, properties,
/// additionalProperties (false or a schema), items, anyOf, minimum, maximum,
/// minLength, maxLength, maxItems.
std::string schema_violation(const boost::json::value& schema, const boost::json::value& v,
                             const std::string& path = "$");

/// The device principal of `user` with its kind, scopes and actor replaced.
auth::Principal principal_of(const VaultUser& user, auth::Principal::Kind kind,
                             std::vector<std::string> scopes = {});

}  // namespace ve::test
