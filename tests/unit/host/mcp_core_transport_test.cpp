// POST /v1/mcp transport rules (Streamable HTTP): methods, authentication,
// Origin / Content-Type / Accept / size checks, JSON-RPC shape errors, batches,
// notifications and responses, plain JSON for the apilocker stdio bridge.
#include <catch2/catch.hpp>

#include "tests/unit/host/mcp_core_support.hpp"

using namespace ve::test;
using namespace ve::test::mcpcore;
namespace bj = boost::json;

namespace {
const std::string kPing = R"({"jsonrpc":"2.0","id":7,"method":"ping"})";

bj::object error_of(const ve::http::Response& r) {
  return body_json(r).as_object().at("error").as_object();
}
}  // namespace

TEST_CASE("mcp: GET and DELETE are 405 with Allow: POST, no session id is issued",
          "[mcp][transport]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  for (const char* method : {"GET", "DELETE", "PUT"}) {
    // Without a credential the 401 comes first: it is what starts a client's OAuth flow.
    auto anonymous = host.request(method, kMcpUrl, "", {{"accept", "text/event-stream"}});
    CHECK(anonymous.status == 401);
    auto r =
        host.request(method, kMcpUrl, "",
                     {{"accept", "text/event-stream"}, {"authorization", "Bearer " + alice.token}});
    CHECK(r.status == 405);
    CHECK(header_of(r, "allow") == "POST");
  }
  auto r =
      mcp_legacy(host, alice,
                 rpc("initialize", {{"protocolVersion", "2025-11-25"},
                                    {"capabilities", bj::object{}},
                                    {"clientInfo", bj::object{{"name", "t"}, {"version", "1"}}}}));
  REQUIRE(r.status == 200);
  CHECK(header_of(r, "mcp-session-id") == "<absent>");
}

TEST_CASE("mcp: no credential is 401 with WWW-Authenticate: Bearer", "[mcp][transport]") {
  auto host = make_runner();
  auto r = host.request("POST", kMcpUrl, kPing, {{"content-type", "application/json"}});
  CHECK(r.status == 401);
  // RFC 9728 §5.1: the challenge names the resource metadata; no error without a token.
  const auto challenge = header_of(r, "www-authenticate");
  CHECK(challenge.rfind("Bearer resource_metadata=\"", 0) == 0);
  CHECK(challenge.find("/.well-known/oauth-protected-resource/v1/mcp\"") != std::string::npos);
  CHECK(challenge.find("scope=\"vault:read vault:write\"") != std::string::npos);
  CHECK(challenge.find("error=") == std::string::npos);
  auto bad = host.request("POST", kMcpUrl, kPing,
                          {{"content-type", "application/json"},
                           {"authorization", "Bearer vk_master_not-a-real-token"}});
  CHECK(bad.status == 401);
  CHECK(header_of(bad, "www-authenticate").find("error=\"invalid_token\"") != std::string::npos);
}

TEST_CASE("mcp: a foreign Origin is 403, our own origin is served", "[mcp][transport]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto evil = mcp_raw(host, alice, kPing,
                      {{"content-type", "application/json"}, {"origin", "http://evil.example"}});
  CHECK(evil.status == 403);
  CHECK(error_of(evil).at("code") == -32000);
  CHECK(std::string(error_of(evil).at("message").as_string()).find("Origin") != std::string::npos);
  auto own = mcp_raw(host, alice, kPing,
                     {{"content-type", "application/json"}, {"origin", "http://127.0.0.1:8787"}});
  CHECK(own.status == 200);
}

TEST_CASE("mcp: Content-Type must be application/json (415)", "[mcp][transport]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  CHECK(mcp_raw(host, alice, kPing, {{"content-type", "text/plain"}}).status == 415);
  CHECK(mcp_raw(host, alice, kPing, {}).status == 415);
  CHECK(mcp_raw(host, alice, kPing, {{"content-type", "application/json; charset=utf-8"}}).status ==
        200);
  CHECK(mcp_raw(host, alice, kPing, {{"content-type", "Application/JSON"}}).status == 200);
}

TEST_CASE("mcp: Accept must allow JSON (406), absent Accept gets compact JSON",
          "[mcp][transport]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto sse_only = mcp_raw(host, alice, kPing,
                          {{"content-type", "application/json"}, {"accept", "text/event-stream"}});
  CHECK(sse_only.status == 406);
  CHECK(error_of(sse_only).at("code") == -32000);
  CHECK(mcp_raw(host, alice, kPing, {{"content-type", "application/json"}, {"accept", "text/html"}})
            .status == 406);
  CHECK(mcp_raw(host, alice, kPing, {{"content-type", "application/json"}, {"accept", "*/*"}})
            .status == 200);
  CHECK(mcp_raw(host, alice, kPing,
                {{"content-type", "application/json"}, {"accept", "application/*"}})
            .status == 200);

  // The apilocker stdio bridge: no Accept, no protocol headers, prints the reply verbatim.
  auto bridge =
      mcp_raw(host, alice, kPing,
              {{"content-type", "application/json"}, {"user-agent", "apilocker-cli/1.1.0"}});
  REQUIRE(bridge.status == 200);
  CHECK(header_of(bridge, "content-type") == "application/json");
  CHECK(bridge.body == R"({"jsonrpc":"2.0","id":7,"result":{}})");
  CHECK(bridge.body.find('\n') == std::string::npos);
}

TEST_CASE("mcp: a body over 1 MiB is refused with 413", "[mcp][transport]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" +
                    std::string(std::size_t{1024} * 1024, 'x') + R"("}})";
  auto r = mcp_raw(host, alice, big, {{"content-type", "application/json"}});
  CHECK(r.status == 413);
  CHECK(body_json(r).at("error").at("code") == -32000);
}

TEST_CASE("mcp: JSON-RPC shape errors", "[mcp][jsonrpc]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto post = [&](const std::string& body) {
    return mcp_raw(host, alice, body, {{"content-type", "application/json"}});
  };

  SECTION("parse error: -32700, id null, HTTP 400") {
    for (const char* body : {"{not json", "", "   "}) {
      auto r = post(body);
      CHECK(r.status == 400);
      CHECK(body_json(r).at("error").at("code") == -32700);
      CHECK(body_json(r).at("id").is_null());
    }
  }
  SECTION("invalid requests: -32600, HTTP 400") {
    struct Case {
      const char* body;
      bool echoes_id;
    };
    for (auto c : {Case{R"({"id":1,"method":"ping"})", true},  // no jsonrpc
                   Case{R"({"jsonrpc":"1.0","id":1,"method":"ping"})", true},
                   Case{R"({"jsonrpc":"2.0","id":1})", false},  // no method
                   Case{R"({"jsonrpc":"2.0","id":1,"method":42})", false},
                   Case{R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})", false},
                   Case{R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", false},
                   Case{R"({"jsonrpc":"2.0","id":null,"method":"ping"})", false},
                   Case{R"({"jsonrpc":"2.0","id":1,"method":"ping","params":[1]})", true},
                   Case{R"("ping")", false}, Case{"42", false}}) {
      INFO(c.body);
      auto r = post(c.body);
      CHECK(r.status == 400);
      auto j = body_json(r);
      CHECK(j.at("error").at("code") == -32600);
      if (c.echoes_id) {
        CHECK(j.at("id") == 1);
      } else {
        CHECK(j.at("id").is_null());
      }
    }
  }
  SECTION("batches are refused with -32600 explaining why") {
    auto r = post(
        R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}])");
    CHECK(r.status == 400);
    auto e = body_json(r).at("error");
    CHECK(e.at("code") == -32600);
    CHECK(std::string(e.at("message").as_string()).find("2025-06-18") != std::string::npos);
    CHECK(post("[]").status == 400);
  }
  SECTION("unknown method: -32601 in-band on 2025 revisions") {
    auto r = post(R"({"jsonrpc":"2.0","id":"abc","method":"no/such"})");
    CHECK(r.status == 200);
    CHECK(body_json(r).at("error").at("code") == -32601);
    CHECK(body_json(r).at("id") == "abc");
  }
  SECTION("notifications and client responses: 202, empty body") {
    for (const char* body :
         {R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
          R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})",
          R"({"jsonrpc":"2.0","id":5,"result":{}})",
          R"({"jsonrpc":"2.0","id":5,"error":{"code":-1,"message":"no"}})"}) {
      INFO(body);
      auto r = post(body);
      CHECK(r.status == 202);
      CHECK(r.body.empty());
    }
  }
  SECTION("string and integer ids are echoed") {
    CHECK(body_json(post(R"({"jsonrpc":"2.0","id":"x-1","method":"ping"})")).at("id") == "x-1");
    CHECK(body_json(post(R"({"jsonrpc":"2.0","id":0,"method":"ping"})")).at("id") == 0);
  }
}
