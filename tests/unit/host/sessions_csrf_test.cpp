// The dashboard's CSRF header (auth/csrf.hpp, docs/signin.md "CSRF"): GET
// /v1/auth/me hands a session its token; every unsafe JSON request made with
// the session cookie must echo it in X-CSRF-Token, else 403 csrf_required and
// nothing is written. Bearer requests never need it.
#include <catch2/catch.hpp>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {

constexpr const char* kOrigin = "http://127.0.0.1";
const std::string kKeyBody =
    R"({"name":"CSRF_KEY","provider":"openai","credential_type":"api_key","key":"sk-test-csrf"})";

/// A same-origin JSON POST with the browser's cookies and `csrf` as the header
/// ("" sends no header at all).
http::Response post_with(Browser& b, const std::string& path, const std::string& body,
                         const std::string& csrf) {
  async::Headers h{{"origin", kOrigin}, {"content-type", "application/json"}};
  if (!csrf.empty()) h.emplace_back("x-csrf-token", csrf);
  return b.post(path, body, std::move(h));
}

std::string code_of(const http::Response& r) {
  const auto* c = body_json(r).as_object().if_contains("code");
  return c && c->is_string() ? std::string(c->as_string()) : std::string();
}

/// Rows that any write would leave behind: keys and audit rows.
long long writes(host::HostRunner& host) {
  return sql_int(host,
                 "SELECT (SELECT COUNT(*) FROM keys) + (SELECT COUNT(*) FROM audit_log "
                 "WHERE action <> 'auth.sign_in')");
}

}  // namespace

TEST_CASE("auth/me: a session gets its csrf_token and session id and a master token gets neither",
          "[auth][csrf][sessions]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("csrf-me@example.com");
  auto r = b.get("/v1/auth/me");
  REQUIRE(r.status == 200);
  const auto me = body_json(r).as_object();
  CHECK(me.at("principal") == "session");
  CHECK(me.at("email") == "csrf-me@example.com");
  const std::string token(me.at("csrf_token").as_string());
  CHECK(token.size() == 43);
  CHECK(me.at("session_id") == bj::value(sql_text(host, "SELECT id FROM sessions")));
  CHECK(std::string(me.at("session_id").as_string()).rfind("ses_", 0) == 0);
  // Stable for the session (forms and fetches share it), different for another one.
  CHECK(b.csrf_token() == token);
  Browser other(host);
  other.dev_sign_in("csrf-me@example.com");
  CHECK(other.csrf_token() != token);

  auto d = register_device(host, b, "laptop");
  auto bearer = get_bearer(host, "/v1/auth/me", d.token);
  REQUIRE(bearer.status == 200);
  const auto bm = body_json(bearer).as_object();
  CHECK(bm.at("principal") == "master");
  CHECK(bm.at("device_id") == bj::value(d.device_id));
  CHECK_FALSE(bm.contains("csrf_token"));
  CHECK_FALSE(bm.contains("session_id"));
}

TEST_CASE(
    "csrf: a session's unsafe JSON request without the right header is 403 and writes nothing",
    "[auth][csrf]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("csrf-post@example.com");
  Browser other(host);
  other.dev_sign_in("csrf-other@example.com");
  const long long before = writes(host);

  SECTION("missing") {
    auto r = post_with(b, "/v1/keys", kKeyBody, "");
    CHECK(r.status == 403);
    CHECK(code_of(r) == "csrf_required");
    CHECK(std::string(body_json(r).at("error").as_string()).find("X-CSRF-Token") !=
          std::string::npos);
  }
  SECTION("wrong") {
    CHECK(code_of(post_with(b, "/v1/keys", kKeyBody, std::string(43, 'A'))) == "csrf_required");
  }
  SECTION("another session's token") {
    CHECK(code_of(post_with(b, "/v1/keys", kKeyBody, other.csrf_token())) == "csrf_required");
  }
  SECTION("the MCP endpoint too") {
    const std::string init =
        R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_keys"}})";
    auto r = b.post("/v1/mcp", init,
                    {{"origin", kOrigin},
                     {"content-type", "application/json"},
                     {"accept", "application/json, text/event-stream"}});
    CHECK(r.status == 403);
    CHECK(code_of(r) == "csrf_required");
  }
  CHECK(writes(host) == before);
  // The same request with the page's token goes through.
  CHECK(post_with(b, "/v1/keys", kKeyBody, b.csrf_token()).status == 201);
}

TEST_CASE("csrf: DELETE with the session cookie needs the header too", "[auth][csrf]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("csrf-del@example.com");
  auto created = b.fetch("POST", "/v1/keys", kKeyBody);
  REQUIRE(created.status == 201);
  const std::string id(body_json(created).at("id").as_string());
  auto bare = host.request(
      "DELETE", std::string(kOrigin) + "/v1/keys/" + id, "",
      {{"cookie", "__Host-vaultedge_session=" + b.cookies().at("__Host-vaultedge_session")},
       {"origin", kOrigin}});
  CHECK(bare.status == 403);
  CHECK(code_of(bare) == "csrf_required");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM keys") == 1);
  CHECK(b.fetch("DELETE", "/v1/keys/" + id).status == 200);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM keys") == 0);
}

TEST_CASE("csrf: bearer requests need no header, with or without a stray session cookie",
          "[auth][csrf]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("csrf-bearer@example.com");
  auto d = register_device(host, b, "laptop");
  CHECK(post_json(host, "/v1/keys", kKeyBody, d.token).status == 201);
  // A cookie next to a bearer token: the token decides, no CSRF check applies.
  auto r = host.request(
      "POST", std::string(kOrigin) + "/v1/devices/register", R"({"name":"renamed"})",
      {{"authorization", "Bearer " + d.token},
       {"cookie", "__Host-vaultedge_session=" + b.cookies().at("__Host-vaultedge_session")},
       {"content-type", "application/json"}});
  CHECK(r.status == 200);
  // Safe methods with the session need no header.
  CHECK(b.get("/v1/keys").status == 200);
}
