// Revision negotiation: the 2025 initialize handshake, the MCP-Protocol-Version
// header, and the stateless 2026-07-28 revision (server/discover, the _meta
// envelope, SEP-2243 headers, resultType).
#include <catch2/catch.hpp>

#include "tests/unit/host/mcp_core_support.hpp"

using namespace ve::test;
using namespace ve::test::mcpcore;
namespace bj = boost::json;

namespace {
bj::object init_params(const std::string& version) {
  return {{"protocolVersion", version},
          {"capabilities", bj::object{}},
          {"clientInfo", bj::object{{"name", "test"}, {"version", "1.0"}}}};
}
}  // namespace

TEST_CASE("mcp: initialize echoes a 2025 revision we speak, else offers 2025-11-25",
          "[mcp][lifecycle]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  struct Case {
    const char* requested;
    const char* answered;
  };
  for (auto c : {Case{"2025-06-18", "2025-06-18"}, Case{"2025-11-25", "2025-11-25"},
                 Case{"2026-07-28", "2025-11-25"}, Case{"2024-11-05", "2025-11-25"},
                 Case{"1999-01-01", "2025-11-25"}}) {
    INFO(c.requested);
    auto r = mcp_legacy(host, alice, rpc("initialize", init_params(c.requested)), "");
    REQUIRE(r.status == 200);
    auto result = body_json(r).at("result");
    CHECK(result.at("protocolVersion") == c.answered);
    CHECK(result.at("serverInfo").at("name") == "vaultedge");
    CHECK(result.at("serverInfo").at("version").is_string());
    CHECK(!result.as_object().contains("resultType"));
    const auto& caps = result.at("capabilities").as_object();
    CHECK(caps.at("tools").at("listChanged") == false);
    CHECK(caps.contains("logging"));
    CHECK(!caps.contains("resources"));  // production links no resources
  }
}

TEST_CASE("mcp: capabilities list prompts, completions and resources only when they exist",
          "[mcp][lifecycle]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto r = mcp_legacy(host, alice, rpc("initialize", init_params("2025-11-25")), "");
  const auto caps = body_json(r).at("result").at("capabilities");
  CHECK(caps.as_object().contains("prompts"));
  CHECK(caps.as_object().contains("completions"));
  CHECK(caps.at("resources").at("subscribe") == false);

  ve::mcp::Catalog empty;
  ve::mcp::CatalogOverride none(empty);
  auto bare = body_json(mcp_legacy(host, alice, rpc("initialize", init_params("2025-11-25")), ""))
                  .at("result")
                  .at("capabilities")
                  .as_object();
  CHECK(!bare.contains("prompts"));
  CHECK(!bare.contains("completions"));
  CHECK(!bare.contains("resources"));
}

TEST_CASE("mcp: initialize needs protocolVersion (-32602)", "[mcp][lifecycle]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = mcp_legacy(host, alice, rpc("initialize", {{"capabilities", bj::object{}}}), "");
  CHECK(r.status == 200);
  CHECK(body_json(r).at("error").at("code") == -32602);
}

TEST_CASE("mcp: MCP-Protocol-Version header", "[mcp][lifecycle]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  CHECK(mcp_legacy(host, alice, rpc("ping"), "2025-06-18").status == 200);
  CHECK(mcp_legacy(host, alice, rpc("ping"), "2025-11-25").status == 200);
  CHECK(mcp_legacy(host, alice, rpc("ping"), "").status == 200);  // absent: 2025-06-18 rules

  auto bad = mcp_legacy(host, alice, rpc("ping"), "2024-11-05");
  CHECK(bad.status == 400);
  auto e = body_json(bad).at("error");
  CHECK(e.at("code") == -32000);
  CHECK(std::string(e.at("message").as_string()).find("2024-11-05") != std::string::npos);
  CHECK(e.at("data").at("supported").as_array().size() == 3);

  // A modern header on a request without the _meta envelope.
  auto modern = mcp_legacy(host, alice, rpc("tools/list"), "2026-07-28");
  CHECK(modern.status == 400);
  CHECK(body_json(modern).at("error").at("code") == -32602);

  // initialize is the legacy handshake: a modern header contradicts it.
  auto init = mcp_legacy(host, alice, rpc("initialize", init_params("2025-11-25")), "2026-07-28");
  CHECK(init.status == 400);
  CHECK(body_json(init).at("error").at("code") == -32020);
}

TEST_CASE("mcp 2026-07-28: server/discover and resultType", "[mcp][lifecycle][2026]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = mcp_modern(host, alice, rpc("server/discover"));
  REQUIRE(r.status == 200);
  auto result = body_json(r).at("result");
  CHECK(result.at("resultType") == "complete");
  const auto& versions = result.at("supportedVersions").as_array();
  CHECK(std::find(versions.begin(), versions.end(), bj::value("2026-07-28")) != versions.end());
  CHECK(result.at("capabilities").at("tools").is_object());
  CHECK(result.at("_meta").at("io.modelcontextprotocol/serverInfo").at("name") == "vaultedge");
  CHECK(result.at("ttlMs") == 0);
  CHECK(result.at("cacheScope") == "private");

  auto list = body_json(mcp_modern(host, alice, rpc("tools/list"))).at("result");
  CHECK(list.at("resultType") == "complete");
  CHECK(list.at("tools").is_array());
}

TEST_CASE("mcp 2026-07-28: methods of the 2025 revisions are not found (404)",
          "[mcp][lifecycle][2026]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  for (const char* method : {"ping", "logging/setLevel", "no/such"}) {
    INFO(method);
    auto r = mcp_modern(host, alice, rpc(method));
    CHECK(r.status == 404);
    CHECK(body_json(r).at("error").at("code") == -32601);
  }
  // initialize with a modern envelope is a modern request: not found either.
  auto init = mcp_modern(host, alice, rpc("initialize", init_params("2026-07-28")));
  CHECK(init.status == 404);
  // and server/discover does not exist on the 2025 revisions.
  auto legacy = mcp_legacy(host, alice, rpc("server/discover"));
  CHECK(legacy.status == 200);
  CHECK(body_json(legacy).at("error").at("code") == -32601);
}

TEST_CASE("mcp 2026-07-28: envelope and standard-header checks", "[mcp][lifecycle][2026]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto call = rpc("tools/call", {{"name", "echo"}, {"arguments", bj::object{{"text", "hi"}}}});
  REQUIRE(mcp_modern(host, alice, call).status == 200);

  auto send = [&](const bj::object& message, ve::async::Headers headers) {
    headers.emplace_back("content-type", "application/json");
    return mcp_raw(host, alice, bj::serialize(message), std::move(headers));
  };
  auto with_meta = [&](bj::object message, bj::object meta) {
    message["params"].as_object()["_meta"] = std::move(meta);
    return message;
  };
  const ve::async::Headers good = {
      {"mcp-protocol-version", "2026-07-28"}, {"mcp-method", "tools/call"}, {"mcp-name", "echo"}};
  auto code = [](const ve::http::Response& r) { return body_json(r).at("error").at("code"); };

  SECTION("unsupported modern revision: -32022 with supported and requested") {
    auto meta = meta_2026();
    meta["io.modelcontextprotocol/protocolVersion"] = "2027-01-01";
    auto r = send(with_meta(call, meta), {{"mcp-protocol-version", "2027-01-01"},
                                          {"mcp-method", "tools/call"},
                                          {"mcp-name", "echo"}});
    CHECK(r.status == 400);
    CHECK(code(r) == -32022);
    auto data = body_json(r).at("error").at("data");
    CHECK(data.at("requested") == "2027-01-01");
    CHECK(data.at("supported").as_array().front() == "2026-07-28");
    CHECK(body_json(r).at("id") == 1);
  }
  SECTION("envelope without clientCapabilities: -32602, HTTP 400") {
    auto meta = meta_2026();
    meta.erase("io.modelcontextprotocol/clientCapabilities");
    auto r = send(with_meta(call, meta), good);
    CHECK(r.status == 400);
    CHECK(code(r) == -32602);
  }
  SECTION("header and envelope versions differ: -32020") {
    auto r = send(with_meta(call, meta_2026()), {{"mcp-protocol-version", "2025-11-25"},
                                                 {"mcp-method", "tools/call"},
                                                 {"mcp-name", "echo"}});
    CHECK(r.status == 400);
    CHECK(code(r) == -32020);
  }
  SECTION("missing MCP-Protocol-Version, Mcp-Method or Mcp-Name: -32020") {
    CHECK(code(send(with_meta(call, meta_2026()),
                    {{"mcp-method", "tools/call"}, {"mcp-name", "echo"}})) == -32020);
    CHECK(code(send(with_meta(call, meta_2026()),
                    {{"mcp-protocol-version", "2026-07-28"}, {"mcp-name", "echo"}})) == -32020);
    CHECK(code(send(with_meta(call, meta_2026()), {{"mcp-protocol-version", "2026-07-28"},
                                                   {"mcp-method", "tools/call"}})) == -32020);
  }
  SECTION("Mcp-Method or Mcp-Name disagreeing with the body: -32020") {
    CHECK(code(send(with_meta(call, meta_2026()), {{"mcp-protocol-version", "2026-07-28"},
                                                   {"mcp-method", "tools/list"},
                                                   {"mcp-name", "echo"}})) == -32020);
    CHECK(code(send(with_meta(call, meta_2026()), {{"mcp-protocol-version", "2026-07-28"},
                                                   {"mcp-method", "tools/call"},
                                                   {"mcp-name", "other"}})) == -32020);
  }
  SECTION("Mcp-Name may carry the base64 sentinel") {
    auto r = send(with_meta(call, meta_2026()), {{"mcp-protocol-version", "2026-07-28"},
                                                 {"mcp-method", "tools/call"},
                                                 {"mcp-name", "=?base64?ZWNobw==?="}});
    CHECK(r.status == 200);
    CHECK(body_json(r).at("result").at("resultType") == "complete");
  }
  SECTION("a 2026 notification is accepted") {
    bj::object note{{"jsonrpc", "2.0"},
                    {"method", "notifications/cancelled"},
                    {"params", bj::object{{"requestId", 1}, {"_meta", meta_2026()}}}};
    auto r = send(
        note, {{"mcp-protocol-version", "2026-07-28"}, {"mcp-method", "notifications/cancelled"}});
    CHECK(r.status == 202);
  }
}
