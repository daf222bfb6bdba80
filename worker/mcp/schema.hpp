// Validation of tools/call arguments against a tool's `inputSchema` (JSON Schema,
// checked with valijson; server/tools "Tool" and "Error Handling": bad arguments
// are a tool result with isError, whose text tells the caller what to fix).
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ve::mcp {

/// nullopt when `args` satisfies `input_schema`; else one sentence naming the
/// first offending field (a path such as `tags[0]`, or "arguments" for the
/// object itself) and what is expected there, e.g.
///   "argument `category` must be one of: llm, service, oauth".
/// `input_schema` must outlive the process (tool schemas are string literals):
/// it is parsed once and the parsed schema cached by its address. A schema that
/// is not a JSON object yields a message saying so (a server bug, not input);
/// one valijson cannot compile aborts (VALIJSON_USE_EXCEPTIONS is unset), which
/// is why the unit tests compile every tool's schema.
std::optional<std::string> check_arguments(std::string_view input_schema,
                                           const boost::json::object& args);

/// Parses and compiles `schema` (same cache). False when it is not a JSON object.
bool schema_compiles(std::string_view schema);

/// `schema` parsed as JSON, cached by the text's address like check_arguments
/// (tools/list sends each tool's schemas as objects). An empty object when the
/// text is not a JSON object.
const boost::json::object& schema_document(std::string_view schema);

}  // namespace ve::mcp
