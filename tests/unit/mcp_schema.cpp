// Tool argument validation (valijson): every tool's schemas compile (a schema
// valijson cannot compile aborts, so this test is what keeps that off the
// request path), and messages name the field and the fix.
#include <catch2/catch.hpp>

#include "worker/mcp/catalog.hpp"
#include "worker/mcp/schema.hpp"

namespace bj = boost::json;

TEST_CASE("mcp: every served tool's input and output schema compiles", "[mcp][schema]") {
  for (const auto* tool : ve::mcp::catalog().tools) {
    INFO(tool->name);
    CHECK(ve::mcp::schema_compiles(tool->input_schema));
    CHECK(ve::mcp::schema_document(tool->input_schema).at("type") == "object");
    if (!tool->output_schema.empty()) CHECK(ve::mcp::schema_compiles(tool->output_schema));
    CHECK(!tool->description.empty());
    CHECK((tool->scope == "vault:read" || tool->scope == "vault:write" ||
           tool->scope == "vault:proxy"));
  }
}

TEST_CASE("mcp: argument messages", "[mcp][schema]") {
  static const char* kSchema =
      R"({"type":"object","properties":{"name":{"type":"string","minLength":1},)"
      R"("limit":{"type":"integer","minimum":1,"maximum":500},)"
      R"("filter":{"type":"object","properties":{"category":{"enum":["llm","service"]}}}},)"
      R"("required":["name"]})";
  using ve::mcp::check_arguments;
  CHECK(!check_arguments(kSchema, {{"name", "a"}}));
  CHECK(!check_arguments(kSchema, {{"name", "a"}, {"limit", 500}}));
  CHECK(check_arguments(kSchema, {}) == "argument `name` is required");
  CHECK(check_arguments(kSchema, {{"name", 1}}) == "argument `name` must be of type string");
  CHECK_THAT(*check_arguments(kSchema, {{"name", "a"}, {"limit", 501}}),
             Catch::Contains("`limit`"));
  CHECK(check_arguments(kSchema, {{"name", "a"}, {"filter", bj::object{{"category", "x"}}}}) ==
        "argument `filter.category` must be one of: llm, service");
  CHECK(check_arguments("not json", {}) ==
        "the tool's input schema is not a JSON object (a server bug)");
  CHECK(!ve::mcp::schema_compiles("[1,2]"));
}
