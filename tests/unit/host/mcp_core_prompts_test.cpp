// prompts/list, prompts/get, completion/complete and the resources methods
// through POST /v1/mcp, against the fixture catalog.
#include <catch2/catch.hpp>

#include "tests/unit/host/mcp_core_support.hpp"

using namespace ve::test;
using namespace ve::test::mcpcore;
namespace bj = boost::json;

TEST_CASE("mcp: prompts/list and prompts/get", "[mcp][prompts]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());

  auto list = body_json(mcp_legacy(host, alice, rpc("prompts/list"))).at("result");
  const auto& prompts = list.at("prompts").as_array();
  REQUIRE(prompts.size() == 1);
  CHECK(prompts[0].at("name") == "greet");
  CHECK(prompts[0].at("arguments").at(0).at("name") == "who");
  CHECK(prompts[0].at("arguments").at(0).at("required") == true);
  CHECK(prompts[0].at("arguments").at(1).at("required") == false);

  auto got = mcp_legacy(
      host, alice,
      rpc("prompts/get", {{"name", "greet"}, {"arguments", bj::object{{"who", "Ann"}}}}));
  CHECK(body_json(got).at("result").at("messages").at(0).at("content").at("text") == "Hello Ann");

  auto modern =
      mcp_modern(host, alice,
                 rpc("prompts/get", {{"name", "greet"}, {"arguments", bj::object{{"who", "Bo"}}}}));
  CHECK(body_json(modern).at("result").at("resultType") == "complete");
  CHECK(body_json(mcp_modern(host, alice, rpc("prompts/list"))).at("result").at("ttlMs") == 0);

  auto code = [&](bj::object params) {
    return body_json(mcp_legacy(host, alice, rpc("prompts/get", std::move(params))))
        .at("error")
        .at("code");
  };
  CHECK(code({{"name", "greet"}}) == -32602);  // missing required `who`
  CHECK(code({{"name", "greet"}, {"arguments", bj::object{{"who", 3}}}}) == -32602);
  CHECK(code({{"name", "nope"}}) == -32602);  // unknown prompt
  CHECK(code({}) == -32602);
  CHECK(code({{"name", "greet"}, {"arguments", bj::object{{"who", "nobody"}}}}) == -32602);
}

TEST_CASE("mcp: completion/complete for prompt arguments", "[mcp][prompts]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto complete = [&](bj::object params) {
    return body_json(mcp_legacy(host, alice, rpc("completion/complete", std::move(params))));
  };
  auto r = complete({{"ref", bj::object{{"type", "ref/prompt"}, {"name", "greet"}}},
                     {"argument", bj::object{{"name", "who"}, {"value", "al"}}}});
  const auto& values = r.at("result").at("completion").at("values").as_array();
  REQUIRE(values.size() == 2);
  CHECK(values[0] == "alice");
  CHECK(values[1] == "albert");
  CHECK(r.at("result").at("completion").at("hasMore") == false);

  auto none = complete({{"ref", bj::object{{"type", "ref/prompt"}, {"name", "greet"}}},
                        {"argument", bj::object{{"name", "tone"}, {"value", ""}}}});
  CHECK(none.at("result").at("completion").at("values").as_array().empty());

  CHECK(complete({{"ref", bj::object{{"type", "ref/prompt"}, {"name", "nope"}}},
                  {"argument", bj::object{{"name", "who"}, {"value", ""}}}})
            .at("error")
            .at("code") == -32602);
  CHECK(complete({{"ref", bj::object{{"type", "ref/prompt"}, {"name", "greet"}}},
                  {"argument", bj::object{{"name", "zzz"}, {"value", ""}}}})
            .at("error")
            .at("code") == -32602);
  CHECK(complete({}).at("error").at("code") == -32602);
}

TEST_CASE("mcp: resources list, templates, read and misses", "[mcp][resources]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  {
    // Production serves no resources: the methods do not exist.
    ve::mcp::Catalog empty;
    ve::mcp::CatalogOverride none(empty);
    auto r = mcp_legacy(host, alice, rpc("resources/list"));
    CHECK(body_json(r).at("error").at("code") == -32601);
  }
  ve::mcp::CatalogOverride fixture(fixture_catalog());
  auto list = body_json(mcp_legacy(host, alice, rpc("resources/list"))).at("result");
  CHECK(list.at("resources").at(0).at("uri") == "fixture://readme");
  CHECK(list.at("resources").at(0).at("mimeType") == "text/plain");
  auto templates = body_json(mcp_legacy(host, alice, rpc("resources/templates/list"))).at("result");
  CHECK(templates.at("resourceTemplates").at(0).at("uriTemplate") == "fixture://items/{id}");

  auto read =
      body_json(mcp_legacy(host, alice, rpc("resources/read", {{"uri", "fixture://readme"}})));
  CHECK(read.at("result").at("contents").at(0).at("text") == "content of fixture://readme");
  auto item =
      body_json(mcp_legacy(host, alice, rpc("resources/read", {{"uri", "fixture://items/42"}})));
  CHECK(item.at("result").at("contents").at(0).at("uri") == "fixture://items/42");

  for (const char* uri : {"fixture://nothing", "fixture://items/", "fixture://items/1/2",
                          "fixture://items/missing"}) {
    INFO(uri);
    auto miss = body_json(mcp_legacy(host, alice, rpc("resources/read", {{"uri", uri}})));
    CHECK(miss.at("error").at("code") == -32002);
    CHECK(miss.at("error").at("data").at("uri") == uri);
  }
  auto modern = mcp_modern(host, alice, rpc("resources/read", {{"uri", "fixture://nothing"}}));
  CHECK(modern.status == 200);
  CHECK(body_json(modern).at("error").at("code") == -32602);
  auto modern_ok = mcp_modern(host, alice, rpc("resources/read", {{"uri", "fixture://readme"}}));
  CHECK(body_json(modern_ok).at("result").at("cacheScope") == "private");
  CHECK(body_json(mcp_legacy(host, alice, rpc("resources/read", {}))).at("error").at("code") ==
        -32602);
}
