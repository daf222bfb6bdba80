// Argument accessors and the common success shape of the vault's tools.
#include "worker/mcp/tools/tools.hpp"

namespace ve::mcp::tools {

std::optional<std::string> arg_string(const boost::json::object& args, std::string_view name) {
  const auto* v = args.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> arg_int(const boost::json::object& args, std::string_view name) {
  const auto* v = args.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  if (v->is_double()) {  // 30.0 is an integer to JSON Schema
    const double d = v->as_double();
    if (d >= -9007199254740991.0 && d <= 9007199254740991.0 &&
        d == static_cast<double>(static_cast<std::int64_t>(d))) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

ToolResult key_success(boost::json::object structured) {
  std::optional<std::string> id;
  if (const auto* v = structured.if_contains("id"); v && v->is_string()) {
    id = std::string(v->as_string());
  }
  ToolResult r = ToolResult::success(std::move(structured));
  r.key_id = std::move(id);
  return r;
}

}  // namespace ve::mcp::tools
