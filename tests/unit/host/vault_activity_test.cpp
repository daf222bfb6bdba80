// GET /v1/activity: newest first, the fields `apilocker activity` and `doctor`
// print, filters, limits and bad input.
#include <catch2/catch.hpp>

#include "tests/unit/host/vault_fixture.hpp"

using namespace ve::test;
namespace bj = boost::json;

TEST_CASE("activity: newest first with the CLI's fields, never a value", "[vault][activity]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "OPENAI_API_KEY", "sk-secret-value");
  REQUIRE(
      call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"OPENAI_API_KEY"}}})
          .status == 200);
  REQUIRE(call(host, alice, "POST", "/v1/keys/" + id + "/pause").status == 200);

  auto r = call(host, alice, "GET", "/v1/activity");
  REQUIRE(r.status == 200);
  const auto parsed = body_json(r);
  const auto& logs = parsed.at("logs").as_array();
  REQUIRE(logs.size() == 3);
  CHECK(logs[0].at("action") == "key.pause");
  CHECK(logs[1].at("action") == "key.reveal");
  CHECK(logs[2].at("action") == "key.create");
  CHECK(logs[0].at("id").as_int64() > logs[1].at("id").as_int64());
  const auto& reveal = logs[1];
  CHECK(str(reveal.at("key_id")) == id);
  CHECK(reveal.at("key_name") == "OPENAI_API_KEY");
  CHECK(reveal.at("provider") == "openai");
  CHECK(reveal.at("status_code") == 200);
  CHECK(reveal.at("status") == 200);
  CHECK(reveal.at("latency_ms").is_int64());
  CHECK(reveal.at("source_ip") == "127.0.0.1");
  CHECK(reveal.at("country").is_null());
  CHECK(reveal.at("actor_kind") == "master");
  CHECK(str(reveal.at("actor_id")) == alice.device_id);
  CHECK(reveal.at("client") == "apilocker-cli");
  CHECK(reveal.at("timestamp") == reveal.at("created_at"));
  CHECK(std::string(reveal.at("timestamp").as_string()).back() == 'Z');
  CHECK(reveal.at("forward_path") == "key.reveal OPENAI_API_KEY");
  CHECK(r.body.find("sk-secret-value") == std::string::npos);
}

TEST_CASE("activity filters and limits", "[vault][activity]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto a = store_key(host, alice, "A", "va_secret");
  auto b = store_key(host, alice, "B", "vb_secret");
  for (int i = 0; i < 3; ++i) {
    REQUIRE(
        call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"A"}}}).status ==
        200);
  }
  auto count = [&](const std::string& query) {
    auto r = call(host, alice, "GET", "/v1/activity" + query);
    REQUIRE(r.status == 200);
    return body_json(r).at("logs").as_array().size();
  };
  CHECK(count("") == 5);
  CHECK(count("?limit=2") == 2);
  CHECK(count("?key_id=" + a) == 4);
  CHECK(count("?key_id=" + a.substr(0, 12)) == 4);  // a short id
  CHECK(count("?key_id=B") == 1);                   // a key name
  CHECK(count("?key_id=" + b + "&limit=1") == 1);
  CHECK(count("?token_id=tok_none") == 0);
  auto first = body_json(call(host, alice, "GET", "/v1/activity?limit=1"));
  const auto newest = first.at("logs").as_array()[0].at("id").as_int64();
  CHECK(count("?before=" + std::to_string(newest)) == 4);

  // default 50, max 500
  for (int i = 0; i < 55; ++i) {
    REQUIRE(
        call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"B"}}}).status ==
        200);
  }
  CHECK(count("") == 50);
  CHECK(count("?limit=500") == 60);
}

TEST_CASE("activity bad input: 400", "[vault][activity][bad-input]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  for (const char* q : {"?limit=0", "?limit=501", "?limit=-1", "?limit=abc", "?limit=10x",
                        "?limit=", "?before=x", "?key_id="}) {
    INFO(q);
    auto r = call(host, alice, "GET", std::string("/v1/activity") + q);
    CHECK(r.status == 400);
    CHECK(body_json(r).at("error").is_string());
  }
  CHECK(host.request("GET", "http://127.0.0.1/v1/activity").status == 401);
}
