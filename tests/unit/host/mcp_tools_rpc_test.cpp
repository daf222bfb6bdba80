// The vault's tools and prompts through the real POST /v1/mcp route (the
// protocol core's dispatch, argument validation against each inputSchema,
// per-call audit row), as the `apilocker mcp` bridge and a 2026 client send.
#include <catch2/catch.hpp>
#include <set>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/mcp_core_support.hpp"
#include "tests/unit/host/mcp_support.hpp"

using namespace ve::test;
using namespace ve::test::mcpcore;
namespace bj = boost::json;

namespace {

bj::object call(const std::string& tool, bj::object args) {
  return rpc("tools/call", {{"name", tool}, {"arguments", std::move(args)}});
}

/// The JSON-RPC result of a 2025-11-25 request (REQUIREs HTTP 200 and a result).
bj::object result_of(ve::host::HostRunner& host, const VaultUser& u, const bj::object& msg) {
  auto r = mcp_legacy(host, u, msg);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto b = body_json(r);
  REQUIRE(b.as_object().contains("result"));
  return b.at("result").as_object();
}

}  // namespace

TEST_CASE("mcp tools rpc: tools/list serves every vault tool with valid schemas",
          "[mcp][tools][rpc]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  std::set<std::string> listed;
  bj::object params;
  for (int page = 0; page < 10; ++page) {
    auto res = result_of(host, a, rpc("tools/list", params));
    for (const auto& t : res.at("tools").as_array()) {
      listed.emplace(t.at("name").as_string());
      CHECK(t.at("inputSchema").at("type") == "object");
      CHECK(t.at("outputSchema").at("type") == "object");
      CHECK(t.at("annotations").at("openWorldHint") == (t.at("name") == "proxy_request"));
    }
    if (!res.contains("nextCursor")) break;
    params = {{"cursor", res.at("nextCursor")}};
  }
  std::set<std::string> expected;
  for (const auto& t : ve::mcp::vault_tools()) expected.emplace(t.name);
  CHECK(listed == expected);
}

TEST_CASE("mcp tools rpc: store and rotate through tools/call with audit rows",
          "[mcp][tools][rpc]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  auto stored = result_of(
      host, a,
      call("store_key",
           {{"name", "STRIPE_KEY"}, {"provider", "stripe"}, {"value", "sk_live_RPC_SECRET_1"}}));
  REQUIRE(stored.at("isError") == false);
  const std::string id = str(stored.at("structuredContent").at("id"));
  auto rotated = result_of(
      host, a, call("rotate_key", {{"key", "STRIPE_KEY"}, {"value", "sk_live_RPC_SECRET_2"}}));
  REQUIRE(rotated.at("isError") == false);
  CHECK(rotated.at("structuredContent").at("version") == 2);
  const bj::value schema = bj::parse(vault_tool("rotate_key").output_schema);
  CHECK(schema_violation(schema, rotated.at("structuredContent")).empty());
  // The operation's own row and the core's per-call row, both naming the key.
  CHECK(
      scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'key.rotate' AND key_id = '" +
                           id + "'") == 1);
  CHECK(scalar_int(host,
                   "SELECT COUNT(*) FROM audit_log WHERE action = 'mcp.tool_call' AND "
                   "key_id = '" +
                       id + "' AND detail = 'rotate_key'") == 1);
  CHECK_FALSE(stored_anywhere(host, "sk_live_RPC_SECRET_2"));

  // Arguments that break the inputSchema are refused before the tool runs.
  const auto before = footprint(host);
  auto bad = result_of(host, a, call("list_keys", {{"category", "bogus"}}));
  CHECK(bad.at("isError") == true);
  auto extra = result_of(host, a, call("rotate_key", {{"key", "STRIPE_KEY"}, {"colour", "red"}}));
  CHECK(extra.at("isError") == true);
  auto missing = result_of(host, a, call("delete_key", {}));
  CHECK(missing.at("isError") == true);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM keys") == 1);
  CHECK(footprint(host).keys == before.keys);
  CHECK(footprint(host).versions == before.versions);
}

TEST_CASE("mcp tools rpc: prompts/get and key completion", "[mcp][prompts][rpc]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  store_key(host, a, "OPENAI_API_KEY", "sk-rpc-secret");
  auto got = result_of(host, a,
                       rpc("prompts/get", {{"name", "respond_to_compromised_key"},
                                           {"arguments", {{"key", "OPENAI_API_KEY"}}}}));
  CHECK(prompt_text(got).find("pause_key") != std::string::npos);
  auto done =
      result_of(host, a,
                rpc("completion/complete",
                    {{"ref", {{"type", "ref/prompt"}, {"name", "use_key_without_seeing_it"}}},
                     {"argument", {{"name", "key"}, {"value", "open"}}}}));
  CHECK(done.at("completion").at("values") == bj::array{"OPENAI_API_KEY"});
  auto unknown = mcp_legacy(host, a,
                            rpc("prompts/get", {{"name", "respond_to_compromised_key"},
                                                {"arguments", {{"key", "NOPE"}}}}));
  auto body = body_json(unknown);
  REQUIRE(body.as_object().contains("error"));
  CHECK(body.at("error").at("code") == -32602);
}
