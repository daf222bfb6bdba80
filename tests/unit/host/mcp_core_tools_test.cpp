// tools/list (paging) and tools/call through POST /v1/mcp with fixture tools:
// validation, scope, audit rows, SSE framing, progress and log notifications,
// logging/setLevel persistence.
#include <catch2/catch.hpp>

#include "tests/unit/host/mcp_core_support.hpp"
#include "worker/mcp/pagination.hpp"

using namespace ve::test;
using namespace ve::test::mcpcore;
namespace bj = boost::json;

namespace {
bj::object echo_call(bj::object args) {
  return rpc("tools/call", {{"name", "echo"}, {"arguments", std::move(args)}});
}

/// The `data:` payloads of an SSE body, parsed.
std::vector<bj::value> sse_events(const std::string& body) {
  std::vector<bj::value> out;
  const std::string prefix = "event: message\ndata: ";
  std::size_t pos = 0;
  while ((pos = body.find(prefix, pos)) != std::string::npos) {
    pos += prefix.size();
    auto end = body.find("\n\n", pos);
    out.push_back(bj::parse(body.substr(pos, end - pos)));
    pos = end;
  }
  return out;
}
}  // namespace

TEST_CASE("mcp: tools/list shows each tool's schemas and annotations", "[mcp][tools]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto r = mcp_legacy(host, alice, rpc("tools/list"));
  REQUIRE(r.status == 200);
  const auto tools = body_json(r).at("result").at("tools").as_array();
  REQUIRE(tools.size() == 3);
  const auto& echo = tools[0];
  CHECK(echo.at("name") == "echo");
  CHECK(echo.at("title") == "Echo");
  CHECK(echo.at("description") == "Echoes text.");
  CHECK(echo.at("inputSchema").at("type") == "object");
  CHECK(echo.at("inputSchema").at("required").as_array().front() == "text");
  CHECK(echo.at("outputSchema").at("type") == "object");
  CHECK(echo.at("annotations").at("readOnlyHint") == true);
  CHECK(echo.at("annotations").at("destructiveHint") == false);
  CHECK(echo.at("annotations").at("idempotentHint") == true);
  CHECK(echo.at("annotations").at("openWorldHint") == false);
  CHECK(!tools[1].as_object().contains("outputSchema"));
  CHECK(tools[2].at("annotations").at("destructiveHint") == true);
  CHECK(!body_json(r).at("result").as_object().contains("nextCursor"));
}

TEST_CASE("mcp: list paging with opaque cursors", "[mcp][tools][paging]") {
  using ve::mcp::page_for;
  auto first = page_for({}, "tools", 5, 2);
  REQUIRE(first.ok());
  CHECK(first.value().begin == 0);
  CHECK(first.value().end == 2);
  REQUIRE(first.value().next_cursor);
  std::vector<std::size_t> seen = {0, 1};
  auto cursor = *first.value().next_cursor;
  int pages = 1;
  while (true) {
    auto p = page_for({{"cursor", cursor}}, "tools", 5, 2);
    REQUIRE(p.ok());
    for (auto i = p.value().begin; i < p.value().end; ++i) seen.push_back(i);
    ++pages;
    if (!p.value().next_cursor) break;
    cursor = *p.value().next_cursor;
  }
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3, 4});
  CHECK(page_for({{"cursor", nullptr}}, "tools", 5, 2).ok());
  CHECK(!page_for({}, "tools", 2, 2).value().next_cursor);

  // Invalid cursors: garbage, another list's cursor, past the end, not a string, empty.
  auto other = *page_for({}, "prompts", 5, 2).value().next_cursor;
  for (const auto& bad : {bj::value("garbage!"), bj::value(other), bj::value("dG9vbHM6OQ"),
                          bj::value(3), bj::value("")}) {
    INFO(bj::serialize(bad));
    auto p = page_for({{"cursor", bad}}, "tools", 5, 2);
    REQUIRE(!p.ok());
    CHECK(p.error().code == -32602);
  }

  // Through the route: an invalid cursor is -32602.
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = mcp_legacy(host, alice, rpc("tools/list", {{"cursor", "not-a-cursor"}}));
  CHECK(r.status == 200);
  CHECK(body_json(r).at("error").at("code") == -32602);
}

TEST_CASE("mcp: tools/call on every revision", "[mcp][tools]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  for (const char* version : {"2025-06-18", "2025-11-25", ""}) {
    INFO(version);
    auto r = mcp_legacy(host, alice, echo_call({{"text", "hello"}, {"mode", "loud"}}), version);
    REQUIRE(r.status == 200);
    auto result = body_json(r).at("result");
    CHECK(result.at("isError") == false);
    CHECK(result.at("structuredContent").at("text") == "HELLO");
    CHECK(result.at("content").at(0).at("type") == "text");
    CHECK(result.at("content").at(0).at("text") == R"({"text":"HELLO"})");
    CHECK(!result.as_object().contains("resultType"));
  }
  auto modern = mcp_modern(host, alice, echo_call({{"text", "hi"}}));
  REQUIRE(modern.status == 200);
  CHECK(body_json(modern).at("result").at("resultType") == "complete");
  CHECK(body_json(modern).at("result").at("structuredContent").at("text") == "hi");
}

TEST_CASE("mcp: tools/call errors", "[mcp][tools]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto error_code = [&](const bj::object& message) {
    auto r = mcp_legacy(host, alice, message);
    CHECK(r.status == 200);
    return body_json(r).at("error").at("code");
  };
  SECTION("unknown tool: -32602 naming it") {
    auto r = mcp_legacy(host, alice, rpc("tools/call", {{"name", "nope"}}));
    auto e = body_json(r).at("error");
    CHECK(e.at("code") == -32602);
    CHECK_THAT(std::string(e.at("message").as_string()), Catch::Contains("unknown tool \"nope\""));
  }
  SECTION("bad params: -32602") {
    CHECK(error_code(rpc("tools/call", {})) == -32602);
    CHECK(error_code(rpc("tools/call", {{"name", 5}})) == -32602);
    CHECK(error_code(rpc("tools/call", {{"name", "echo"}, {"arguments", "x"}})) == -32602);
  }
  SECTION("invalid arguments: an isError result naming the field and the fix") {
    struct Case {
      bj::object args;
      const char* expected;
    };
    const std::vector<Case> cases = {
        {{}, "`text` is required"},
        {{{"text", 5}}, "`text` must be of type string"},
        {{{"text", "a"}, {"mode", "quiet"}}, "`mode` must be one of: plain, loud"},
        {{{"text", "a"}, {"count", 0}}, "`count`"},
        {{{"text", "a"}, {"tags", bj::array{"x", 3}}}, "`tags[1]` must be of type string"},
        {{{"text", "a"}, {"colour", "red"}}, "`colour`"}};
    for (const auto& c : cases) {
      INFO(bj::serialize(c.args));
      auto r = mcp_legacy(host, alice, echo_call(c.args));
      REQUIRE(r.status == 200);
      auto result = body_json(r).at("result");
      CHECK(result.at("isError") == true);
      std::string text(result.at("content").at(0).at("text").as_string());
      CHECK_THAT(text, Catch::Contains(c.expected));
      CHECK_THAT(text, Catch::Contains("`echo`"));
    }
  }
  SECTION("a failing tool is a result with isError") {
    auto r = mcp_legacy(host, alice, rpc("tools/call", {{"name", "write_thing"}}));
    auto result = body_json(r).at("result");
    CHECK(result.at("isError") == true);
    CHECK(result.at("content").at(0).at("text") == "nothing to write here");
  }
}

TEST_CASE("mcp: every tools/call writes one audit row, never arguments", "[mcp][tools][audit]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  const std::string secret = "argument-value-s3cr3t";

  // A 2025 client identified by its User-Agent.
  auto ok = mcp_legacy(host, alice, echo_call({{"text", secret}}), "2025-11-25",
                       {{"user-agent", "apilocker-cli/1.1.0 node/20.0"}});
  REQUIRE(ok.status == 200);
  // A bad-argument call is audited too, with its status.
  REQUIRE(mcp_legacy(host, alice, echo_call({{"text", secret}, {"count", "x"}})).status == 200);
  // A 2026 client identified by clientInfo; a tool that reports its key.
  REQUIRE(mcp_modern(host, alice, rpc("tools/call", {{"name", "touch_key"}})).status == 200);
  // A failing tool; a User-Agent with nothing usable.
  REQUIRE(mcp_legacy(host, alice, rpc("tools/call", {{"name", "write_thing"}}), "",
                     {{"user-agent", "!!!"}})
              .status == 200);

  CHECK(scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'mcp.tool_call'") == 4);
  auto row = [&](int n, const std::string& column) {
    return scalar(host, "SELECT " + column +
                            " FROM audit_log WHERE action = 'mcp.tool_call' "
                            "ORDER BY id LIMIT 1 OFFSET " +
                            std::to_string(n));
  };
  CHECK(row(0, "detail") == "echo");
  CHECK(row(0, "client") == "apilocker-cli");
  CHECK(row(0, "status") == "200");
  CHECK(row(0, "actor_kind") == "master");
  CHECK(row(0, "actor_id") == alice.device_id);
  CHECK(row(0, "user_id") == alice.user_id);
  CHECK(row(0, "source_ip") == "127.0.0.1");
  CHECK(!row(0, "key_id"));
  CHECK(row(0, "latency_ms").has_value());
  CHECK(row(1, "status") == "400");
  CHECK(row(2, "detail") == "touch_key");
  CHECK(row(2, "client") == "test-client");
  CHECK(row(2, "key_id") == "key_fixture");
  CHECK(row(3, "status") == "409");
  CHECK(row(3, "client") == "mcp");

  CHECK(scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%" + secret +
                             "%' OR client LIKE '%" + secret + "%'") == 0);
  CHECK(database_image(host).find(secret) == std::string::npos);

  // Unknown tools and other methods write nothing.
  mcp_legacy(host, alice, rpc("tools/call", {{"name", "nope"}}));
  mcp_legacy(host, alice, rpc("tools/list"));
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM audit_log") == 4);
}

TEST_CASE("mcp: client labels are sanitised and bounded", "[mcp][tools][audit]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto message = echo_call({{"text", "a"}});
  message["params"].as_object()["_meta"] =
      meta_2026(std::string("claude<script>") + std::string(200, 'x'));
  REQUIRE(mcp_modern(host, alice, message).status == 200);
  auto client = scalar(host, "SELECT client FROM audit_log WHERE action = 'mcp.tool_call'");
  REQUIRE(client);
  CHECK(client->size() == 64);
  CHECK(client->rfind("claudescriptxxx", 0) == 0);
}

TEST_CASE("mcp: notifications stream as SSE only when the client accepts it", "[mcp][tools][sse]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto call =
      rpc("tools/call", {{"name", "touch_key"}, {"_meta", bj::object{{"progressToken", "p1"}}}});

  auto sse = mcp_legacy(host, alice, call);
  REQUIRE(sse.status == 200);
  CHECK(header_of(sse, "content-type") == "text/event-stream");
  CHECK(sse.body.rfind("event: message\ndata: {", 0) == 0);
  auto events = sse_events(sse.body);
  REQUIRE(events.size() == 4);  // progress, info log, progress, response (debug < info)
  CHECK(events[0].at("method") == "notifications/progress");
  CHECK(events[0].at("params").at("progressToken") == "p1");
  CHECK(events[0].at("params").at("progress") == 1.0);
  CHECK(events[0].at("params").at("total") == 2.0);
  CHECK(events[0].at("params").at("message") == "halfway");
  CHECK(events[1].at("method") == "notifications/message");
  CHECK(events[1].at("params").at("level") == "info");
  CHECK(events[1].at("params").at("data") == "touched the key");
  CHECK(events[2].at("params").at("progress") == 2.0);
  CHECK(events[3].at("id") == 1);
  CHECK(events[3].at("result").at("structuredContent").at("touched") == true);

  // Plain JSON when text/event-stream is not accepted: notifications dropped.
  auto json_only = mcp_raw(host, alice, bj::serialize(call),
                           {{"content-type", "application/json"}, {"accept", "application/json"}});
  CHECK(header_of(json_only, "content-type") == "application/json");
  CHECK(body_json(json_only).at("result").at("structuredContent").at("touched") == true);

  // No progressToken: no progress notifications (the info log still streams).
  auto no_token = mcp_legacy(host, alice, rpc("tools/call", {{"name", "touch_key"}}));
  auto ev = sse_events(no_token.body);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].at("method") == "notifications/message");

  // Nothing to stream: plain JSON even when SSE is accepted.
  auto quiet = mcp_legacy(host, alice, echo_call({{"text", "a"}}));
  CHECK(header_of(quiet, "content-type") == "application/json");
}

TEST_CASE("mcp: logging/setLevel persists per principal and filters log notifications",
          "[mcp][logging]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto bob = add_user(host, "bob@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());

  auto bad = mcp_legacy(host, alice, rpc("logging/setLevel", {{"level", "verbose"}}));
  CHECK(body_json(bad).at("error").at("code") == -32602);
  CHECK(body_json(mcp_legacy(host, alice, rpc("logging/setLevel", {}))).at("error").at("code") ==
        -32602);

  auto set = mcp_legacy(host, alice, rpc("logging/setLevel", {{"level", "debug"}}));
  REQUIRE(set.status == 200);
  CHECK(body_json(set).at("result").as_object().empty());
  CHECK(scalar(host, "SELECT level FROM mcp_log_levels WHERE user_id = '" + alice.user_id +
                         "' AND actor_kind = 'master' AND actor_id = '" + alice.device_id + "'") ==
        "debug");

  auto call = rpc("tools/call", {{"name", "touch_key"}});
  CHECK(sse_events(mcp_legacy(host, alice, call).body).size() == 3);  // info + debug + result
  CHECK(sse_events(mcp_legacy(host, bob, call).body).size() == 2);    // default: info

  REQUIRE(mcp_legacy(host, alice, rpc("logging/setLevel", {{"level", "error"}})).status == 200);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM mcp_log_levels") == 1);
  auto quiet = mcp_legacy(host, alice, call);
  CHECK(header_of(quiet, "content-type") == "application/json");  // nothing left to stream

  // 2026-07-28: the level comes with each request; none → no log notifications.
  auto modern = rpc("tools/call", {{"name", "touch_key"}});
  auto none = mcp_modern(host, bob, modern);
  CHECK(header_of(none, "content-type") == "application/json");
  auto meta = meta_2026();
  meta["io.modelcontextprotocol/logLevel"] = "debug";
  modern["params"].as_object()["_meta"] = meta;
  auto ev = sse_events(mcp_modern(host, bob, modern).body);
  REQUIRE(ev.size() == 3);
  CHECK(ev[2].at("result").at("resultType") == "complete");
}
