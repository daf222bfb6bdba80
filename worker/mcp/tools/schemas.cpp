#include "worker/mcp/tools/schemas.hpp"

namespace ve::mcp::tools {

namespace {

constexpr const char* kKeyProperties =
    R"("id":{"type":"string","description":"Stable key id, key_..."},)"
    R"("name":{"type":"string"},)"
    R"("provider":{"type":"string","description":"Provider id from list_providers, or custom"},)"
    R"("category":{"type":"string","enum":["llm","service","oauth"]},)"
    R"("credential_type":{"type":"string","enum":["api_key","oauth2"]},)"
    R"("tags":{"type":"array","items":{"type":"string"}},)"
    R"("base_url":{"type":["string","null"],"description":"API root the proxy forwards to"},)"
    R"("auth_header_type":{"type":["string","null"]},)"
    R"("created_at":{"type":"string","description":"ISO 8601"},)"
    R"("rotated_at":{"type":["string","null"],"description":"Last rotation (ISO 8601), null if never"},)"
    R"("paused_at":{"type":["string","null"],"description":"Set while the key is paused"},)"
    R"("last_used_at":{"type":["string","null"],"description":"Last reveal or proxy use"},)"
    R"("proxy_endpoint":{"type":["string","null"]},)"
    R"("version":{"type":"integer","description":"Current version number"},)"
    R"("previous_names":{"type":"array","items":{"type":"string"},"description":"Names before renames; they still resolve"})";

constexpr const char* kKeyRequired =
    R"("id","name","provider","category","credential_type","tags","base_url","auth_header_type",)"
    R"("created_at","rotated_at","paused_at","last_used_at","proxy_endpoint","version","previous_names")";

}  // namespace

const std::string& key_summary_schema() {
  static const std::string s = std::string(R"({"type":"object","properties":{)") + kKeyProperties +
                               R"(},"required":[)" + kKeyRequired + "]}";
  return s;
}

const std::string& key_detail_schema() {
  static const std::string s =
      std::string(R"({"type":"object","properties":{)") + kKeyProperties +
      R"(,"versions":{"type":"array","description":"Newest first","items":{"type":"object",)"
      R"("properties":{"version":{"type":"integer"},)"
      R"("stage":{"type":["string","null"],"enum":["current","previous","pending",null],)"
      R"("description":"null once retired"},"kid":{"type":"string"},)"
      R"("created_at":{"type":"string"},"retired_at":{"type":["string","null"]}},)"
      R"("required":["version","stage","kid","created_at","retired_at"]}}},"required":[)" +
      kKeyRequired + R"(,"versions"]})";
  return s;
}

const std::string& key_only_input() {
  static const std::string schema = std::string(R"({"type":"object","properties":{)") +
                                    kKeyRefProperty +
                                    R"(},"required":["key"],"additionalProperties":false})";
  return schema;
}

}  // namespace ve::mcp::tools
