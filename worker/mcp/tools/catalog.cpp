// The vault's MCP tools, in tools/list order (docs/architecture.md "MCP"): reads first,
// then writes, then the account's devices.
#include "worker/mcp/tools/tools.hpp"

namespace ve::mcp {

const std::vector<Tool>& vault_tools() {
  static const std::vector<Tool> tools = {
      tools::list_keys_tool(),    tools::get_key_metadata_tool(),
      tools::reveal_key_tool(),   tools::proxy_request_tool(),
      tools::store_key_tool(),    tools::store_oauth_credential_tool(),
      tools::rename_key_tool(),   tools::rotate_key_tool(),
      tools::pause_key_tool(),    tools::resume_key_tool(),
      tools::delete_key_tool(),   tools::list_providers_tool(),
      tools::get_activity_tool(), tools::run_doctor_tool(),
      tools::list_devices_tool(), tools::revoke_device_tool(),
      tools::create_token_tool(), tools::list_tokens_tool(),
      tools::pause_token_tool(),  tools::resume_token_tool(),
      tools::revoke_token_tool(),
  };
  return tools;
}

}  // namespace ve::mcp
