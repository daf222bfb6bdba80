// The vault's tools, one factory per tool (worker/mcp/tools/*.cpp); catalog.cpp
// lists them in tools/list order. Internal to worker/mcp/tools.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "worker/mcp/tool.hpp"

namespace ve::mcp::tools {

// keys_read.cpp
Tool list_keys_tool();
Tool get_key_metadata_tool();
// reveal.cpp
Tool reveal_key_tool();
// proxy.cpp
Tool proxy_request_tool();
// keys_store.cpp
Tool store_key_tool();
Tool store_oauth_credential_tool();
// keys_change.cpp
Tool rename_key_tool();
Tool rotate_key_tool();
Tool pause_key_tool();
Tool resume_key_tool();
Tool delete_key_tool();
// providers.cpp
Tool list_providers_tool();
// activity.cpp
Tool get_activity_tool();
// doctor.cpp
Tool run_doctor_tool();
// devices.cpp
Tool list_devices_tool();
Tool revoke_device_tool();
// tokens.cpp
Tool create_token_tool();
Tool list_tokens_tool();
Tool pause_token_tool();
Tool resume_token_tool();
Tool revoke_token_tool();

/// String argument `name`, or nullopt when absent, null or not a string.
std::optional<std::string> arg_string(const boost::json::object& args, std::string_view name);
/// Integer argument `name`, or nullopt when absent or not an integer.
std::optional<std::int64_t> arg_int(const boost::json::object& args, std::string_view name);

/// A `{key_id?, …}` ToolResult::success with `key_id` set from structured["id"].
ToolResult key_success(boost::json::object structured);

}  // namespace ve::mcp::tools
