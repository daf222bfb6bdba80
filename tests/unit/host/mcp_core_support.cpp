#include "tests/unit/host/mcp_core_support.hpp"

#include <cctype>

namespace ve::test::mcpcore {

namespace bj = boost::json;

bj::object rpc(const std::string& method, bj::object params, bj::value id) {
  return {
      {"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", method}, {"params", std::move(params)}};
}

bj::object meta_2026(const std::string& client_name) {
  return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
          {"io.modelcontextprotocol/clientCapabilities", bj::object{}},
          {"io.modelcontextprotocol/clientInfo",
           bj::object{{"name", client_name}, {"version", "1.0.0"}}}};
}

http::Response mcp_raw(host::HostRunner& host, const VaultUser& user, const std::string& body,
                       async::Headers headers) {
  headers.emplace_back("authorization", "Bearer " + user.token);
  return host.request("POST", kMcpUrl, body, std::move(headers));
}

http::Response mcp_legacy(host::HostRunner& host, const VaultUser& user, const bj::object& message,
                          const std::string& version, async::Headers extra) {
  extra.emplace_back("content-type", "application/json");
  extra.emplace_back("accept", "application/json, text/event-stream");
  if (!version.empty()) extra.emplace_back("mcp-protocol-version", version);
  return mcp_raw(host, user, bj::serialize(message), std::move(extra));
}

http::Response mcp_modern(host::HostRunner& host, const VaultUser& user, bj::object message,
                          async::Headers extra) {
  auto& params = message["params"].as_object();
  if (!params.contains("_meta")) params["_meta"] = meta_2026();
  const std::string method(message["method"].as_string());
  extra.emplace_back("content-type", "application/json");
  extra.emplace_back("accept", "application/json, text/event-stream");
  extra.emplace_back("mcp-protocol-version", "2026-07-28");
  extra.emplace_back("mcp-method", method);
  if (method == "tools/call" || method == "prompts/get") {
    extra.emplace_back("mcp-name", std::string(params["name"].as_string()));
  } else if (method == "resources/read") {
    extra.emplace_back("mcp-name", std::string(params["uri"].as_string()));
  }
  return mcp_raw(host, user, bj::serialize(message), std::move(extra));
}

std::string header_of(const http::Response& r, const std::string& name) {
  auto h = http::find_header(r.headers, name);
  return h ? std::string(*h) : std::string("<absent>");
}

namespace {

using mcp::CallCtx;
using mcp::ToolResult;

constexpr const char* kEchoSchema =
    R"({"type":"object","properties":{"text":{"type":"string","description":"what to echo"},)"
    R"("count":{"type":"integer","minimum":1},"mode":{"type":"string","enum":["plain","loud"]},)"
    R"("tags":{"type":"array","items":{"type":"string"}}},)"
    R"("required":["text"],"additionalProperties":false})";
constexpr const char* kEchoOutput =
    R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})";
constexpr const char* kEmptySchema = R"({"type":"object","properties":{}})";

async::Task<ToolResult> echo(CallCtx&, const bj::object& args) {
  const auto* text_value = args.if_contains("text");
  std::string text(text_value ? text_value->as_string() : "");
  if (const auto* mode = args.if_contains("mode"); mode && mode->as_string() == "loud") {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  co_return ToolResult::success(bj::object{{"text", text}});
}

async::Task<ToolResult> touch_key(CallCtx& ctx, const bj::object&) {
  ctx.notify.progress(1, 2, std::string("halfway"));
  ctx.notify.log("info", "touched the key");
  ctx.notify.log("debug", "debug detail");
  ctx.notify.progress(2, 2);
  auto r = ToolResult::success(bj::object{{"touched", true}});
  r.key_id = "key_fixture";
  co_return r;
}

async::Task<ToolResult> write_thing(CallCtx&, const bj::object&) {
  co_return ToolResult::failure("nothing to write here", 409);
}

async::Task<Result<bj::object>> greet(CallCtx&, const std::map<std::string, std::string>& args) {
  const std::string who = args.count("who") ? args.find("who")->second : "";
  if (who == "nobody") co_return bad_request("there is nobody to greet");
  co_return bj::object{
      {"description", "a greeting"},
      {"messages",
       bj::array{bj::object{{"role", "user"},
                            {"content", bj::object{{"type", "text"}, {"text", "Hello " + who}}}}}}};
}

async::Task<Result<std::vector<std::string>>> greet_complete(CallCtx&, std::string_view argument,
                                                             std::string_view prefix) {
  std::vector<std::string> out;
  if (argument != "who") co_return out;
  for (const char* name : {"alice", "albert", "bob"}) {
    if (std::string_view(name).substr(0, prefix.size()) == prefix) out.emplace_back(name);
  }
  co_return out;
}

async::Task<Result<bj::array>> read_fixture(CallCtx&, std::string_view uri) {
  if (uri == "fixture://items/missing") co_return not_found("no such item");
  co_return bj::array{bj::object{
      {"uri", uri}, {"mimeType", "text/plain"}, {"text", "content of " + std::string(uri)}}};
}

const std::vector<mcp::Tool>& fixture_tools() {
  static const std::vector<mcp::Tool> tools = {
      {"echo",
       "Echo",
       "Echoes text.",
       kEchoSchema,
       kEchoOutput,
       {true, false, true, false},
       "vault:read",
       &echo},
      {"touch_key",
       "Touch key",
       "Reports progress.",
       kEmptySchema,
       "",
       {false, false, false, false},
       "vault:read",
       &touch_key},
      {"write_thing",
       "Write thing",
       "Needs vault:write.",
       kEmptySchema,
       "",
       {false, true, false, false},
       "vault:write",
       &write_thing},
  };
  return tools;
}

const std::vector<mcp::Prompt>& fixture_prompts() {
  static const std::vector<mcp::Prompt> prompts = {
      {"greet",
       "Greet",
       "Greets someone.",
       {{"who", "whom to greet", true}, {"tone", "", false}},
       &greet,
       &greet_complete},
  };
  return prompts;
}

const mcp::Resource& fixture_resource() {
  static const mcp::Resource r{"fixture://readme",    "readme",     "Read me",
                               "A fixture resource.", "text/plain", &read_fixture};
  return r;
}

const mcp::ResourceTemplate& fixture_template() {
  static const mcp::ResourceTemplate t{"fixture://items/{id}", "item",       "Item", "One item.",
                                       "text/plain",           &read_fixture};
  return t;
}

}  // namespace

const mcp::Catalog& fixture_catalog() {
  static const mcp::Catalog c = [] {
    mcp::Catalog out;
    for (const auto& t : fixture_tools()) out.tools.push_back(&t);
    for (const auto& p : fixture_prompts()) out.prompts.push_back(&p);
    out.resources.push_back(&fixture_resource());
    out.templates.push_back(&fixture_template());
    return out;
  }();
  return c;
}

}  // namespace ve::test::mcpcore
