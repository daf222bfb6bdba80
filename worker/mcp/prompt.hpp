// A prompt as MCP "Prompts" (server/prompts) defines it.
#pragma once
#include <boost/json.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "worker/async/task.hpp"
#include "worker/mcp/call.hpp"
#include "worker/result.hpp"

namespace ve::mcp {

struct PromptArgument {
  std::string_view name;
  std::string_view description;
  bool required = false;
};

/// Builds the GetPromptResult `{description?, messages: PromptMessage[]}`.
/// `args` holds the string arguments the client gave; required ones are present
/// (the dispatcher checks). An Error becomes a JSON-RPC -32602 with its message.
using PromptFn = async::Task<Result<boost::json::object>> (*)(
    CallCtx& ctx, const std::map<std::string, std::string>& args);

/// Values to suggest for one argument (`completion/complete`): at most 100,
/// those starting with `prefix`. An empty list when nothing matches.
using CompleteFn = async::Task<Result<std::vector<std::string>>> (*)(CallCtx& ctx,
                                                                     std::string_view argument,
                                                                     std::string_view prefix);

struct Prompt {
  std::string_view name;
  std::string_view title;
  std::string_view description;
  std::vector<PromptArgument> arguments;
  PromptFn get;
  CompleteFn complete = nullptr;  ///< argument completion; nullptr when none
};

/// The vault's prompts (worker/mcp/prompts/): audit the vault's health, respond
/// to a compromised key, use a key without seeing it.
const std::vector<Prompt>& vault_prompts();

}  // namespace ve::mcp
