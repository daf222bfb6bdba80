// The OAuth authorization code flow through the real router on real SQLite
// (docs/oauth.md): consent, code, tokens and an MCP call; what the consent
// form refuses; scope step-up; no credential stored in the clear; the audit
// trail.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

/// The JSON-RPC body of an MCP answer.
bj::object rpc_body(const http::Response& r) {
  return bj::parse(r.body).as_object();
}

}  // namespace

TEST_CASE("oauth/flow: code flow with PKCE, then an MCP call with the access token",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const Pkce pkce = new_pkce();
  auto consent = consent_for(s.browser, client_id, pkce.challenge);
  REQUIRE(consent.page.status == 200);
  CHECK_THAT(consent.page.body, Catch::Contains(kClientName));
  CHECK_THAT(consent.page.body, Catch::Contains("127.0.0.1:7777"));
  CHECK_THAT(consent.page.body, Catch::Contains("not verified"));
  CHECK_THAT(consent.page.body, Catch::Contains("name=\"grant:vault:write\""));
  const std::string csp = header(consent.page, "content-security-policy");
  CHECK_THAT(csp, Catch::Contains("frame-ancestors 'none'"));
  CHECK_THAT(csp, Catch::Contains("http://127.0.0.1:7777"));
  CHECK(starts_with(consent.request, "vk_req_"));
  CHECK_FALSE(consent.csrf.empty());

  const std::string location = client_redirect(answer(s.browser, consent, "approve"));
  const std::string code = query_param(location, "code");
  CHECK(starts_with(code, "vk_code_"));

  auto r = exchange(s.host, client_id, code, pkce.verifier);
  REQUIRE(r.status == 200);
  CHECK(header(r, "cache-control") == "no-store");
  auto body = body_json(r).as_object();
  CHECK(body.at("token_type").as_string() == "Bearer");
  CHECK(body.at("expires_in").to_number<std::int64_t>() == 3600);
  const Tokens t = tokens_of(r);
  CHECK(starts_with(t.access, "vk_at_"));
  CHECK(starts_with(t.refresh, "vk_rt_"));
  CHECK(t.scope == "vault:read vault:write");

  auto call = mcp(s.host, t.access, tool_call("list_keys"));
  REQUIRE(call.status == 200);
  const auto result = rpc_body(call).at("result").as_object();
  CHECK_FALSE((result.contains("isError") && result.at("isError").as_bool()));
  CHECK(count(s.host, "oauth_grants",
              "activated_at IS NOT NULL AND revoked_at IS NULL AND user_id = '" +
                  user_id_of(s.host, kAlice) + "'") == 1);
}

TEST_CASE("oauth/flow: deny sends access_denied with state and iss", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  auto consent = consent_for(s.browser, client_id);
  const std::string location = client_redirect(answer(s.browser, consent, "deny"));
  CHECK(query_param(location, "error") == "access_denied");
  CHECK(query_param(location, "code").empty());
  CHECK(count(s.host, "oauth_grants") == 0);
  CHECK(count(s.host, "oauth_codes") == 0);
  CHECK(count(s.host, "audit_log", "action = 'oauth.deny'") == 1);
}

TEST_CASE("oauth/flow: a consent is answered at most once", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  auto consent = consent_for(s.browser, client_id);
  REQUIRE(answer(s.browser, consent, "approve").status == 303);
  for (const char* decision : {"approve", "deny"}) {
    INFO(decision);
    auto again = answer(s.browser, consent, decision);
    CHECK(again.status == 410);
    CHECK(header(again, "location").empty());
  }
  CHECK(count(s.host, "oauth_grants") == 1);
  CHECK(count(s.host, "oauth_codes") == 1);
}

TEST_CASE("oauth/flow: a consent older than 10 minutes is gone", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  auto consent = consent_for(s.browser, client_id);
  exec_sql(s.host, "UPDATE oauth_requests SET expires_at = 1");
  CHECK(answer(s.browser, consent, "approve").status == 410);
  CHECK(count(s.host, "oauth_grants") == 0);
}

TEST_CASE("oauth/flow: a consent needs the session's CSRF token and its own user",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  auto consent = consent_for(s.browser, client_id);
  for (const std::string csrf : {"", "forged"}) {
    INFO("csrf '" << csrf << "'");
    CHECK(answer(s.browser, consent, "approve", {"vault:write"}, &csrf).status == 403);
  }
  CHECK(count(s.host, "oauth_grants") == 0);

  // Bob, with his own valid CSRF token, cannot answer alice's pending request.
  Browser bob(s.host);
  bob.dev_sign_in("bob@example.com");
  auto bobs_page = consent_for(bob, client_id);
  CHECK(answer(bob, bobs_page, "approve", {}, &bobs_page.csrf).status == 303);
  Consent stolen = consent;
  stolen.csrf = bobs_page.csrf;
  CHECK(answer(bob, stolen, "approve").status == 410);
  CHECK(count(s.host, "oauth_grants") == 1);

  // Alice's request is still pending and answerable.
  CHECK(answer(s.browser, consent, "approve").status == 303);
  CHECK(count(s.host, "oauth_grants") == 2);
}

TEST_CASE("oauth/flow: an unticked vault:write is a 403 step-up challenge", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser, "", {});
  CHECK(c.tokens.scope == "vault:read");
  CHECK(sql_text(s.host, "SELECT scope FROM oauth_grants") == "vault:read");

  CHECK(mcp(s.host, c.tokens.access, tool_call("list_keys")).status == 200);
  auto r = mcp(s.host, c.tokens.access,
               tool_call("store_key", {{"name", "OPENAI_API_KEY"}, {"value", "sk-test-1"}}));
  CHECK(r.status == 403);
  const std::string challenge = header(r, "www-authenticate");
  CHECK_THAT(challenge, Catch::StartsWith("Bearer "));
  CHECK_THAT(challenge, Catch::Contains("error=\"insufficient_scope\""));
  CHECK_THAT(challenge, Catch::Contains("scope=\"vault:read vault:write\""));
  CHECK_THAT(challenge, Catch::Contains("resource_metadata=\"http://127.0.0.1/.well-known/"
                                        "oauth-protected-resource/v1/mcp\""));
  auto body = rpc_body(r);
  CHECK(body.contains("error"));
  CHECK_FALSE(body.contains("result"));
  CHECK(count(s.host, "keys") == 0);
}

TEST_CASE("oauth/flow: no issued credential is stored in the clear", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const Pkce pkce = new_pkce();
  auto consent = consent_for(s.browser, client_id, pkce.challenge);
  const std::string code =
      query_param(header(answer(s.browser, consent, "approve"), "location"), "code");
  const Tokens first = tokens_of(exchange(s.host, client_id, code, pkce.verifier));
  const Tokens second = tokens_of(refresh(s.host, client_id, first.refresh));
  REQUIRE(mcp(s.host, second.access, tool_call("list_keys")).status == 200);

  for (const std::string& secret : {consent.request, code, first.access, first.refresh,
                                    second.access, second.refresh, pkce.verifier}) {
    INFO(secret.substr(0, 12));
    CHECK_FALSE(db_contains(s.host, secret));
  }
  for (const char* prefix : {"vk_at_", "vk_rt_", "vk_code_", "vk_req_"}) {
    INFO(prefix);
    CHECK_FALSE(db_contains(s.host, prefix));
  }
}

TEST_CASE("oauth/flow: audit rows name the client", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  const Tokens next = tokens_of(refresh(s.host, c.client_id, c.tokens.refresh));
  REQUIRE(mcp(s.host, next.access, tool_call("list_keys")).status == 200);
  REQUIRE(oauth_error(refresh(s.host, c.client_id, c.tokens.refresh)) == "invalid_grant");

  const std::string alice = user_id_of(s.host, kAlice);
  const std::string mine = "user_id = '" + alice + "' AND client = '" + kClientName +
                           "' AND actor_id = '" + c.client_id + "' AND token_id = '" + c.grant_id +
                           "'";
  CHECK(count(s.host, "audit_log", "action = 'oauth.approve' AND " + mine) == 1);
  for (const char* action :
       {"oauth.token", "oauth.refresh", "oauth.refresh_reuse", "mcp.tool_call"}) {
    INFO(action);
    CHECK(count(s.host, "audit_log",
                "action = '" + std::string(action) + "' AND actor_kind = 'oauth' AND " + mine) ==
          1);
  }
  CHECK(count(s.host, "audit_log",
              "action LIKE 'oauth.%' AND client IS NOT '" + std::string(kClientName) + "'") == 0);
}
