// JSON Schema fragments shared by several tools' output schemas (the shapes of
// worker/vault/key_view.hpp and the key-reference argument).
#pragma once
#include <string>

namespace ve::mcp::tools {

/// Schema of a key's metadata as key_view.hpp key_summary() builds it: id, name,
/// provider, category, credential_type, tags, base_url, auth_header_type,
/// created_at, rotated_at, paused_at, last_used_at, proxy_endpoint, version,
/// previous_names (all present; never a value).
const std::string& key_summary_schema();

/// key_summary_schema() plus `versions` [{version, stage, kid, created_at,
/// retired_at}] (key_view.hpp key_detail()).
const std::string& key_detail_schema();

/// The `key` argument: a key's name, id or former name (1..256 characters).
inline constexpr const char* kKeyRefProperty =
    R"("key":{"type":"string","minLength":1,"maxLength":256,"description":"The key's name (e.g. OPENAI_API_KEY), its id (key_...) or a name it had before a rename. list_keys shows them."})";

/// The input schema of a tool whose only argument is `key` (kKeyRefProperty).
const std::string& key_only_input();

}  // namespace ve::mcp::tools
