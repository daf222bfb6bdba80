// Ending OAuth access (docs/oauth.md): RFC 7009 revocation by the client, and
// the user's connected apps at /v1/oauth/grants with one-click revoke.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

constexpr const char* kBob = "bob@example.com";

bool grant_revoked(host::HostRunner& host, const std::string& grant_id) {
  return count(host, "oauth_grants", "id = '" + grant_id + "' AND revoked_at IS NOT NULL") == 1;
}

/// A request of the dashboard to the grants API: the browser's session cookie,
/// same-origin with its CSRF header for the unsafe methods.
http::Response grants_call(Browser& browser, const std::string& method, const std::string& id) {
  const std::string path = "/v1/oauth/grants" + (id.empty() ? std::string() : "/" + id) +
                           (method == "POST" ? "/revoke" : "");
  return browser.fetch(method, path, method == "GET" ? "" : "{}");
}

bj::array listed(Browser& browser) {
  auto r = grants_call(browser, "GET", "");
  REQUIRE(r.status == 200);
  return body_json(r).at("grants").as_array();
}

}  // namespace

TEST_CASE("oauth/revoke: revoking an access token ends that token only", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  auto r = revoke(s.host, c.tokens.access, "access_token");
  CHECK(r.status == 200);
  CHECK(list_keys_status(s.host, c.tokens.access) == 401);
  CHECK_FALSE(grant_revoked(s.host, c.grant_id));
  const Tokens next = tokens_of(refresh(s.host, c.client_id, c.tokens.refresh));
  CHECK(list_keys_status(s.host, next.access) == 200);
}

TEST_CASE("oauth/revoke: revoking a refresh token revokes its grant", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  CHECK(revoke(s.host, c.tokens.refresh, "refresh_token").status == 200);
  CHECK(grant_revoked(s.host, c.grant_id));
  CHECK(sql_text(s.host, "SELECT revoked_reason FROM oauth_grants") == "client");
  CHECK(list_keys_status(s.host, c.tokens.access) == 401);
  CHECK(oauth_error(refresh(s.host, c.client_id, c.tokens.refresh)) == "invalid_grant");
  CHECK(count(s.host, "audit_log",
              "action = 'oauth.revoke' AND actor_kind = 'oauth' AND client = '" +
                  std::string(kClientName) + "'") == 1);
}

TEST_CASE("oauth/revoke: a client_id that is not the token's is refused", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  const std::string other = register_client(s.host, "Other");
  auto r = s.host.request("POST", std::string(kOrigin) + "/oauth/revoke",
                          form({{"token", c.tokens.refresh}, {"client_id", other}}),
                          {{"content-type", "application/x-www-form-urlencoded"}});
  CHECK(r.status == 400);
  CHECK_FALSE(grant_revoked(s.host, c.grant_id));
  CHECK(list_keys_status(s.host, c.tokens.access) == 200);
}

TEST_CASE("oauth/revoke: unknown tokens are answered 200, a missing one 400", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  for (const char* unknown : {"vk_rt_unknown", "vk_at_unknown", "anything"}) {
    INFO(unknown);
    CHECK(revoke(s.host, unknown).status == 200);
  }
  auto missing = revoke(s.host, "");
  CHECK(missing.status == 400);
  CHECK(oauth_error(missing) == "invalid_request");
  CHECK_FALSE(grant_revoked(s.host, c.grant_id));
  CHECK(list_keys_status(s.host, c.tokens.access) == 200);
}

TEST_CASE("oauth/grants: the list shows the user's activated, unrevoked grants only",
          "[oauth][host]") {
  SignedIn s;
  auto active = connect(s.host, s.browser);
  auto gone = connect(s.host, s.browser);
  REQUIRE(revoke(s.host, gone.tokens.refresh).status == 200);
  approve_code(s.browser, register_client(s.host, "Never exchanged"), new_pkce());
  Browser bob(s.host);
  bob.dev_sign_in(kBob);
  auto bobs = connect(s.host, bob);
  REQUIRE(tokens_of(refresh(s.host, active.client_id, active.tokens.refresh)).scope ==
          "vault:read vault:write");

  auto grants = listed(s.browser);
  REQUIRE(grants.size() == 1);
  const auto& g = grants[0].as_object();
  CHECK(g.at("id").as_string() == active.grant_id);
  CHECK(g.at("client_id").as_string() == active.client_id);
  CHECK(g.at("client_name").as_string() == kClientName);
  CHECK(g.at("redirect_host").as_string() == "127.0.0.1:7777");
  CHECK(g.at("scopes").as_array() == bj::array{"vault:read", "vault:write"});
  CHECK(g.at("resource").as_string() == kResource);
  CHECK(g.at("rotation_count").to_number<std::int64_t>() == 1);
  CHECK_THAT(std::string(g.at("authorized_at").as_string()), Catch::EndsWith("Z"));
  CHECK_THAT(std::string(g.at("last_active_at").as_string()), Catch::EndsWith("Z"));

  auto bob_grants = listed(bob);
  REQUIRE(bob_grants.size() == 1);
  CHECK(bob_grants[0].as_object().at("id").as_string() == bobs.grant_id);
}

TEST_CASE("oauth/grants: a user revokes their own grants and no one else's", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  Browser bob(s.host);
  bob.dev_sign_in(kBob);
  for (const char* method : {"POST", "DELETE"}) {
    INFO(method);
    CHECK(grants_call(bob, method, c.grant_id).status == 404);
  }
  CHECK_FALSE(grant_revoked(s.host, c.grant_id));
  CHECK(list_keys_status(s.host, c.tokens.access) == 200);

  auto r = grants_call(s.browser, "POST", c.grant_id);
  REQUIRE(r.status == 200);
  auto body = body_json(r).as_object();
  CHECK(body.at("revoked").as_bool());
  CHECK(body.at("id").as_string() == c.grant_id);
  CHECK(body.at("tokens_revoked").to_number<std::int64_t>() == 2);
  CHECK(sql_text(s.host, "SELECT revoked_reason FROM oauth_grants") == "user");
  CHECK(list_keys_status(s.host, c.tokens.access) == 401);
  CHECK(oauth_error(refresh(s.host, c.client_id, c.tokens.refresh)) == "invalid_grant");
  CHECK(listed(s.browser).empty());
  CHECK(grants_call(s.browser, "POST", c.grant_id).status == 404);
  CHECK(count(s.host, "audit_log", "action = 'oauth.grant_revoke'") == 1);

  auto d = connect(s.host, s.browser);
  CHECK(grants_call(s.browser, "DELETE", d.grant_id).status == 200);
  CHECK(list_keys_status(s.host, d.tokens.access) == 401);
}

TEST_CASE("oauth/grants: a cross-site request with the session cookie is refused",
          "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  auto r =
      s.browser.post("/v1/oauth/grants/" + c.grant_id + "/revoke", "{}",
                     {{"origin", "https://evil.example"}, {"content-type", "application/json"}});
  CHECK(r.status == 403);
  CHECK_FALSE(grant_revoked(s.host, c.grant_id));
}
