// The vault's prompts, one factory per file (worker/mcp/prompts/*.cpp), and
// what they share: the GetPromptResult shape, the key lookup that turns a
// `key` argument into the key's current name and id, key-name completion, and
// which tools are registered (a prompt names only tools in vault_tools()).
// Internal to worker/mcp/prompts.
#pragma once
#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/async/task.hpp"
#include "worker/mcp/call.hpp"
#include "worker/mcp/prompt.hpp"
#include "worker/result.hpp"

namespace ve::mcp::prompts {

Prompt audit_vault_health_prompt();
Prompt respond_to_compromised_key_prompt();
Prompt use_key_without_seeing_it_prompt();

/// `{description, messages: [{role: "user", content: {type: "text", text}}]}`.
boost::json::object user_message(std::string_view description, std::string text);

/// True when a tool of this name is in vault_tools().
bool tool_registered(std::string_view name);

/// The key a prompt argument names, as list_keys shows it (id, name,
/// provider, credential_type, paused_at, …). Errors: 400 empty or over-long
/// reference; 404 when the user has no such key (the message says to call
/// list_keys); 403 when the principal may not read the vault.
async::Task<Result<boost::json::object>> find_key(CallCtx& ctx, std::string ref);

/// CompleteFn for prompts whose `key` argument names a key: the user's key
/// names starting with `prefix` (case-insensitive), sorted, at most 100; an
/// empty list for any other argument.
async::Task<Result<std::vector<std::string>>> complete_key(CallCtx& ctx, std::string_view argument,
                                                           std::string_view prefix);

/// A JSON string field of `o`, or "".
std::string text_of(const boost::json::object& o, std::string_view field);

/// Largest free-text prompt argument (reason, task), in bytes.
inline constexpr std::size_t kMaxTextArgBytes = 2000;

}  // namespace ve::mcp::prompts
