// The vault's MCP prompts, in prompts/list order (docs/architecture.md "MCP").
#include "worker/mcp/prompts/prompts.hpp"

namespace ve::mcp {

const std::vector<Prompt>& vault_prompts() {
  static const std::vector<Prompt> prompts = {
      prompts::audit_vault_health_prompt(),
      prompts::respond_to_compromised_key_prompt(),
      prompts::use_key_without_seeing_it_prompt(),
  };
  return prompts;
}

}  // namespace ve::mcp
