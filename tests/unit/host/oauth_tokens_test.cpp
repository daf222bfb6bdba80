// The token endpoint and access tokens (docs/oauth.md "Tokens"): single-use
// codes, PKCE, the race between two exchanges, refresh rotation with family
// revocation, scope narrowing, expiry and the RFC 8707 audience.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

std::string grant_field(host::HostRunner& host, const std::string& grant_id,
                        const std::string& column) {
  return sql_text(host, "SELECT " + column + " FROM oauth_grants WHERE id = '" + grant_id + "'");
}

std::string description(const http::Response& r) {
  return std::string(body_json(r).at("error_description").as_string());
}

/// Checks that every credential of `c` is dead and the grant revoked for `reason`.
void check_family_dead(host::HostRunner& host, const Connection& c, const Tokens& t,
                       const std::string& reason) {
  CHECK(list_keys_status(host, t.access) == 401);
  CHECK(oauth_error(refresh(host, c.client_id, t.refresh)) == "invalid_grant");
  CHECK(grant_field(host, c.grant_id, "revoked_reason") == reason);
}

}  // namespace

TEST_CASE("oauth/tokens: a code used twice revokes its grant", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  REQUIRE(list_keys_status(s.host, c.tokens.access) == 200);
  auto again = exchange(s.host, c.client_id, c.code, c.pkce.verifier);
  CHECK(again.status == 400);
  CHECK(oauth_error(again) == "invalid_grant");
  check_family_dead(s.host, c, c.tokens, "code_replay");
  CHECK(count(s.host, "audit_log", "action = 'oauth.code_replay' AND actor_kind = 'oauth'") == 1);
}

TEST_CASE("oauth/tokens: a wrong code_verifier burns the code", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const Pkce pkce = new_pkce();
  const std::string code = approve_code(s.browser, client_id, pkce);
  auto wrong = exchange(s.host, client_id, code, new_pkce().verifier);
  CHECK(wrong.status == 400);
  CHECK(oauth_error(wrong) == "invalid_grant");
  CHECK(count(s.host, "oauth_codes", "used_at IS NOT NULL") == 1);
  CHECK(oauth_error(exchange(s.host, client_id, code, pkce.verifier)) == "invalid_grant");
  CHECK(count(s.host, "oauth_tokens") == 0);
}

TEST_CASE("oauth/tokens: the token endpoint's other refusals leave the code usable",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const std::string other_client = register_client(s.host, "Other");
  const Pkce pkce = new_pkce();
  const std::string code = approve_code(s.browser, client_id, pkce);
  using Fields = std::vector<std::pair<std::string, std::string>>;
  auto fields = [&](std::string field, std::string value) {
    Fields f{{"grant_type", "authorization_code"},
             {"code", code},
             {"redirect_uri", kRedirect},
             {"code_verifier", pkce.verifier},
             {"client_id", client_id}};
    bool replaced = false;
    for (auto& [k, v] : f) {
      if (k == field) v = value, replaced = true;
    }
    if (!replaced) f.emplace_back(std::move(field), std::move(value));
    return f;
  };
  struct Case {
    Fields fields;
    const char* error;
  };
  const Case cases[] = {
      {fields("client_id", other_client), "invalid_grant"},
      {fields("redirect_uri", "http://127.0.0.1:7777/other"), "invalid_grant"},
      {fields("resource", "https://other.example/v1/mcp"), "invalid_target"},
      {fields("code_verifier", ""), "invalid_request"},
      {fields("code", "vk_code_unknown"), "invalid_grant"},
      {fields("grant_type", "password"), "unsupported_grant_type"},
      {fields("grant_type", ""), "invalid_request"},
  };
  for (const auto& c : cases) {
    INFO(form(c.fields));
    auto r = token_request(s.host, c.fields);
    CHECK(r.status == 400);
    CHECK(oauth_error(r) == c.error);
  }
  CHECK(count(s.host, "oauth_tokens") == 0);
  auto ok = token_request(s.host, fields("resource", kResource));
  CHECK(ok.status == 200);
  CHECK(count(s.host, "oauth_grants", "revoked_at IS NULL") == 1);
}

TEST_CASE("oauth/tokens: an expired code is refused", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const Pkce pkce = new_pkce();
  const std::string code = approve_code(s.browser, client_id, pkce);
  exec_sql(s.host, "UPDATE oauth_codes SET expires_at = 1");
  CHECK(oauth_error(exchange(s.host, client_id, code, pkce.verifier)) == "invalid_grant");
  CHECK(count(s.host, "oauth_tokens") == 0);
}

TEST_CASE("oauth/tokens: of two interleaved exchanges of one code exactly one wins",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const Pkce pkce = new_pkce();
  const std::string code = approve_code(s.browser, client_id, pkce);
  const std::string body = form({{"grant_type", "authorization_code"},
                                 {"code", code},
                                 {"redirect_uri", kRedirect},
                                 {"code_verifier", pkce.verifier},
                                 {"client_id", client_id}});
  auto answers = post_forms_interleaved(s.host, "/oauth/token", {body, body});
  REQUIRE(answers.size() == 2);
  const int wins = (answers[0].status == 200) + (answers[1].status == 200);
  CHECK(wins == 1);
  const auto& loser = answers[0].status == 200 ? answers[1] : answers[0];
  CHECK(loser.status == 400);
  CHECK(oauth_error(loser) == "invalid_grant");
  // Both read the unspent code before either spent it: the loser lost the race
  // in its own batch, not by seeing the winner's used_at.
  CHECK_THAT(description(loser), Catch::Contains("at once"));
  CHECK(count(s.host, "oauth_tokens") == 2);
  CHECK(count(s.host, "audit_log", "action = 'oauth.token'") == 1);
  // A code presented twice is a replay (docs/oauth.md): the grant is revoked.
  CHECK(count(s.host, "oauth_grants", "revoked_reason = 'code_replay'") == 1);
}

TEST_CASE("oauth/tokens: a refresh rotates the pair and a spent one revokes the family",
          "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  const Tokens next = tokens_of(refresh(s.host, c.client_id, c.tokens.refresh));
  CHECK(next.access != c.tokens.access);
  CHECK(next.refresh != c.tokens.refresh);
  CHECK(next.scope == c.tokens.scope);
  CHECK(list_keys_status(s.host, next.access) == 200);
  CHECK(grant_field(s.host, c.grant_id, "rotation_count") == "1");

  auto reuse = refresh(s.host, c.client_id, c.tokens.refresh);
  CHECK(reuse.status == 400);
  CHECK(oauth_error(reuse) == "invalid_grant");
  check_family_dead(s.host, c, next, "refresh_reuse");
}

TEST_CASE("oauth/tokens: a refresh token belongs to its client", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  const std::string other = register_client(s.host, "Other");
  CHECK(oauth_error(refresh(s.host, other, c.tokens.refresh)) == "invalid_grant");
  CHECK(oauth_error(refresh(s.host, c.client_id, "vk_rt_unknown")) == "invalid_grant");
  CHECK(oauth_error(refresh(s.host, c.client_id, c.tokens.access)) == "invalid_grant");
  CHECK(refresh(s.host, c.client_id, c.tokens.refresh).status == 200);
}

TEST_CASE("oauth/tokens: an expired refresh token is refused without revoking the grant",
          "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  exec_sql(s.host, "UPDATE oauth_tokens SET expires_at = 1 WHERE kind = 'refresh'");
  CHECK(oauth_error(refresh(s.host, c.client_id, c.tokens.refresh)) == "invalid_grant");
  CHECK(grant_field(s.host, c.grant_id, "revoked_at").empty());
  CHECK(list_keys_status(s.host, c.tokens.access) == 200);
}

TEST_CASE("oauth/tokens: a refresh may narrow the scope, never widen it", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser, "vault:read vault:write vault:proxy");
  REQUIRE(c.tokens.scope == "vault:read vault:write vault:proxy");
  const Tokens narrow = tokens_of(refresh(s.host, c.client_id, c.tokens.refresh, "vault:read"));
  CHECK(narrow.scope == "vault:read");
  auto write =
      mcp(s.host, narrow.access, tool_call("store_key", {{"name", "K"}, {"value", "v_secret"}}));
  CHECK(write.status == 403);

  for (const char* wider : {"vault:read vault:write", "vault:admin"}) {
    INFO(wider);
    auto r = refresh(s.host, c.client_id, narrow.refresh, wider);
    CHECK(r.status == 400);
    CHECK(oauth_error(r) == "invalid_scope");
  }
  // A refused refresh does not spend the token.
  CHECK(tokens_of(refresh(s.host, c.client_id, narrow.refresh)).scope == "vault:read");

  auto d = connect(s.host, s.browser);
  CHECK(oauth_error(refresh(s.host, d.client_id, d.tokens.refresh, "vault:proxy")) ==
        "invalid_scope");
}

TEST_CASE("oauth/tokens: an expired access token is a 401 invalid_token", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  exec_sql(s.host, "UPDATE oauth_tokens SET expires_at = 1 WHERE kind = 'access'");
  auto r = mcp(s.host, c.tokens.access, tool_call("list_keys"));
  CHECK(r.status == 401);
  const std::string challenge = header(r, "www-authenticate");
  CHECK_THAT(challenge, Catch::Contains("error=\"invalid_token\""));
  CHECK_THAT(challenge, Catch::Contains("resource_metadata=\"http://127.0.0.1/.well-known/"
                                        "oauth-protected-resource/v1/mcp\""));
  const Tokens next = tokens_of(refresh(s.host, c.client_id, c.tokens.refresh));
  CHECK(list_keys_status(s.host, next.access) == 200);
}

TEST_CASE("oauth/tokens: an access token is valid only at its MCP resource", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  for (const auto& [method, url] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "http://127.0.0.1/v1/keys"},
                                                        {"POST", "http://127.0.0.1/v1/keys"},
                                                        {"GET", "http://127.0.0.1/v1/oauth/grants"},
                                                        {"POST", "http://localhost/v1/mcp"}}) {
    INFO(method << " " << url);
    auto r = s.host.request(method, url, R"({"name":"K","provider":"openai","key":"v_secret"})",
                            {{"authorization", "Bearer " + c.tokens.access},
                             {"content-type", "application/json"},
                             {"accept", "application/json, text/event-stream"},
                             {"mcp-protocol-version", "2025-11-25"}});
    CHECK(r.status == 401);
    CHECK_THAT(header(r, "www-authenticate"), Catch::Contains("error=\"invalid_token\""));
  }
  CHECK(count(s.host, "keys") == 0);
}

TEST_CASE("oauth/tokens: access tokens in the query string are refused", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  auto r = s.host.request(
      "POST", std::string(kResource) + "?access_token=" + c.tokens.access,
      bj::serialize(tool_call("list_keys")),
      {{"content-type", "application/json"}, {"accept", "application/json, text/event-stream"}});
  CHECK(r.status == 400);
}
