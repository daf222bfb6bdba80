// Scoped tokens through the real router on real SQLite (worker/tokens,
// docs/proxy.md "Scoped tokens"): what a token may reach, its lifecycle,
// rotation with reuse detection, and the rate limit on reveals.
#include <catch2/catch.hpp>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/json/json.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {

struct Issued {
  std::string id;
  VaultUser as;  ///< the owner's user with the scoped token as bearer
  std::string refresh;
};

Issued create_token(host::HostRunner& host, const VaultUser& owner, const bj::array& keys,
                    const std::string& rotation = "static") {
  auto r = call(
      host, owner, "POST", "/v1/tokens",
      bj::value(bj::object{{"name", "app"}, {"allowed_keys", keys}, {"rotation_type", rotation}}));
  REQUIRE(r.status == 201);
  auto b = body_json(r).as_object();
  CHECK(b.at("token") == b.at("access_token"));
  Issued out{str(b.at("id")), owner, b.contains("refresh_token") ? str(b.at("refresh_token")) : ""};
  out.as.token = str(b.at("token"));
  return out;
}

std::vector<std::string> listed_names(const http::Response& r) {
  INFO(r.status << " " << r.body);
  REQUIRE(r.status == 200);
  std::vector<std::string> names;
  const bj::value body = body_json(r);  // kept alive: the loop borrows from it
  for (const auto& k : body.at("keys").as_array()) names.push_back(str(k.at("name")));
  return names;
}

http::Response refresh(host::HostRunner& host, const std::string& refresh_token) {
  return host.request("POST", "http://127.0.0.1/v1/tokens/refresh",
                      json::dump(bj::object{{"refresh_token", refresh_token}}),
                      {{"content-type", "application/json"}});
}

}  // namespace

TEST_CASE("scoped token: sees, reveals and describes only its allowed keys", "[tokens]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  const auto a = store_key(host, alice, "A", "sk-value-of-a-0001");
  store_key(host, alice, "B", "sk-value-of-b-0002");
  auto t = create_token(host, alice, bj::array{"A"});

  CHECK(listed_names(call(host, t.as, "GET", "/v1/keys")) == std::vector<std::string>{"A"});
  CHECK(listed_names(call(host, t.as, "GET", "/v1/keys/allowed")) == std::vector<std::string>{"A"});
  CHECK(listed_names(call(host, alice, "GET", "/v1/keys/allowed")) ==
        (std::vector<std::string>{"A", "B"}));
  auto reveal = body_json(call(host, t.as, "POST", "/v1/keys/reveal", R"({"keys":["A","B"]})"));
  REQUIRE(reveal.at("keys").as_array().size() == 1);
  CHECK(str(reveal.at("keys").as_array()[0].at("id")) == a);
  CHECK(reveal.at("missing") == bj::array{"B"});
  CHECK(call(host, t.as, "GET", "/v1/keys/A").status == 200);
  CHECK(call(host, t.as, "GET", "/v1/keys/B").status == 404);
  // The token's own reveal is audited under its id.
  CHECK(scalar_int(host,
                   "SELECT COUNT(*) FROM audit_log WHERE action = 'key.reveal' AND "
                   "actor_kind = 'scoped' AND token_id = '" +
                       t.id + "'") == 1);
  CHECK_FALSE(stored_anywhere(host, t.as.token));
}

TEST_CASE("scoped token: every write and management route is 403 and writes nothing", "[tokens]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "A", "sk-value-of-a-0001");
  auto t = create_token(host, alice, bj::array{"A"});
  const auto before = footprint(host);
  const std::vector<std::pair<std::string, std::string>> writes = {
      {"POST", "/v1/keys"},
      {"POST", "/v1/keys/A/rotate"},
      {"POST", "/v1/keys/A/rename"},
      {"POST", "/v1/keys/A/pause"},
      {"POST", "/v1/keys/A/resume"},
      {"DELETE", "/v1/keys/A"},
      {"POST", "/v1/tokens"},
      {"GET", "/v1/tokens"},
      {"DELETE", "/v1/tokens/" + t.id},
      {"GET", "/v1/devices"},
      {"GET", "/v1/activity"},
      {"GET", "/v1/oauth/grants"},
      {"POST", "/v1/devices/register"}};
  for (const auto& [method, path] : writes) {
    auto r = call(host, t.as, method, path, R"({"name":"X","new_name":"Y","key":"v_secret"})");
    INFO(method << " " << path);
    CHECK(r.status == 403);
    CHECK(r.body.find("scoped token") != std::string::npos);
  }
  CHECK(footprint(host) == before);
}

TEST_CASE("scoped token: pause, resume, revoke take effect on the next request", "[tokens]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto bob = add_user(host, "bob@example.com");
  store_key(host, alice, "A", "sk-value-of-a-0001");
  auto t = create_token(host, alice, bj::array{"A"});
  const std::string base = "/v1/tokens/" + t.id;

  CHECK(call(host, bob, "POST", base + "/pause").status == 404);  // not bob's
  CHECK(call(host, alice, "POST", base + "/pause").status == 200);
  CHECK(call(host, alice, "POST", base + "/pause").status == 409);
  auto paused = call(host, t.as, "GET", "/v1/keys");
  CHECK(paused.status == 403);
  CHECK(str(body_json(paused).at("code")) == "token_paused");
  CHECK(call(host, alice, "POST", base + "/resume").status == 200);
  CHECK(call(host, alice, "POST", base + "/resume").status == 409);
  CHECK(call(host, t.as, "GET", "/v1/keys").status == 200);
  CHECK(call(host, bob, "DELETE", base).status == 404);
  CHECK(call(host, alice, "DELETE", base).status == 200);
  CHECK(call(host, alice, "DELETE", base).status == 404);
  CHECK(call(host, t.as, "GET", "/v1/keys").status == 401);
  auto listed = body_json(call(host, alice, "GET", "/v1/tokens")).at("tokens").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("revoked") == true);
  for (const char* action : {"token.create", "token.pause", "token.resume", "token.revoke"}) {
    INFO(action);
    CHECK(scalar_int(host, std::string("SELECT COUNT(*) FROM audit_log WHERE action = '") + action +
                               "'") == 1);
  }
}

TEST_CASE("scoped token: allowed_keys are resolved within the owner's vault only", "[tokens]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto bob = add_user(host, "bob@example.com");
  const auto a = store_key(host, alice, "A", "sk-value-of-a-0001");
  for (const auto& ref : {std::string("A"), a}) {
    auto r =
        call(host, bob, "POST", "/v1/tokens",
             bj::value(bj::object{{"name", "steal"}, {"allowed_keys", bj::array{bj::value(ref)}}}));
    CHECK(r.status == 400);
  }
  CHECK(call(host, alice, "POST", "/v1/tokens", R"({"name":"x","allowed_keys":[]})").status == 400);
  CHECK(call(host, alice, "POST", "/v1/tokens",
             R"({"name":"x","allowed_keys":["A"],"rotation_type":"yearly"})")
            .status == 400);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM scoped_tokens") == 0);
}

TEST_CASE("scoped token: rotating credentials refresh, expire, and a reused refresh revokes",
          "[tokens]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "A", "sk-value-of-a-0001");
  auto t = create_token(host, alice, bj::array{"A"}, "hourly");
  REQUIRE_FALSE(t.refresh.empty());

  auto r1 = refresh(host, t.refresh);
  REQUIRE(r1.status == 200);
  VaultUser second = alice;
  second.token = str(body_json(r1).at("token"));
  CHECK(call(host, second, "GET", "/v1/keys").status == 200);
  // The first access credential still lives until its hour is up; expire it.
  exec_sql(host,
           "UPDATE scoped_token_credentials SET expires_at = 1 WHERE used_at IS NULL AND "
           "kind = 'access' AND created_at = (SELECT MIN(created_at) FROM "
           "scoped_token_credentials)");
  auto expired = call(host, t.as, "GET", "/v1/keys");
  CHECK(expired.status == 401);
  CHECK(expired.body.find("refresh") != std::string::npos);

  auto reused = refresh(host, t.refresh);  // spent: a copy in the wrong hands
  CHECK(reused.status == 401);
  CHECK(call(host, second, "GET", "/v1/keys").status == 401);  // the live pair dies too
  CHECK(scalar_int(host,
                   "SELECT COUNT(*) FROM scoped_tokens WHERE revoked_reason = "
                   "'refresh_reuse'") == 1);
  CHECK(refresh(host, "vk_srt_unknown").status == 401);
  CHECK(refresh(host, "").status == 400);
  auto fixed = create_token(host, alice, bj::array{"A"});
  CHECK(fixed.refresh.empty());
}

TEST_CASE("rate limit: reveals past the per-token limit are 429 with Retry-After", "[tokens]") {
  auto host =
      make_runner_with({{"RATE_LIMIT_REVEAL_PER_TOKEN", "2"}, {"RATE_LIMIT_REVEAL_PER_USER", "3"}});
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "A", "sk-value-of-a-0001");
  auto t = create_token(host, alice, bj::array{"A"});
  const char* body = R"({"keys":["A"]})";
  CHECK(call(host, t.as, "POST", "/v1/keys/reveal", body).status == 200);
  CHECK(call(host, t.as, "POST", "/v1/keys/reveal", body).status == 200);
  auto limited = call(host, t.as, "POST", "/v1/keys/reveal", body);
  CHECK(limited.status == 429);
  const auto retry = header(limited, "retry-after");
  REQUIRE_FALSE(retry.empty());
  CHECK(std::stoi(retry) >= 1);
  CHECK(std::stoi(retry) <= 60);
  CHECK(limited.body.find("per token") != std::string::npos);
  // The user's own limit counts every credential: 3 so far, so the master token is refused too.
  auto user_limited = call(host, alice, "POST", "/v1/keys/reveal", body);
  CHECK(user_limited.status == 429);
  CHECK(user_limited.body.find("per user") != std::string::npos);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'key.reveal'") == 2);
}

TEST_CASE("scoped token over MCP: only the tools that honour allowed_keys", "[tokens][mcp]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "A", "sk-value-of-a-0001");
  store_key(host, alice, "B", "sk-value-of-b-0002");
  auto t = create_token(host, alice, bj::array{"A"});
  auto tool = [&](const std::string& name, const std::string& args) {
    return body_json(call(host, t.as, "POST", "/v1/mcp",
                          R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":")" +
                              name + R"(","arguments":)" + args + "}}"))
        .at("result");
  };
  auto list = tool("list_keys", "{}");
  CHECK(list.at("isError") == false);
  CHECK(list.at("structuredContent").at("count") == 1);
  CHECK(tool("reveal_key", R"({"key":"B"})").at("isError") == true);
  auto store = tool("store_key", R"({"name":"C","provider":"openai","value":"sk-cccccccccccc"})");
  CHECK(store.at("isError") == true);
  CHECK(json::dump(store).find("scoped token") != std::string::npos);
  CHECK(tool("list_devices", "{}").at("isError") == true);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM keys") == 2);
}
