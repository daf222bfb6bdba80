// The authorization endpoint (docs/oauth.md "Authorization request"): sign-in
// first, error pages for an unknown client or redirect URI, errors sent back
// to a known redirect URI, loopback ports (RFC 8252 §7.3), state round trips,
// and a consent page that escapes what the client declares.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;

TEST_CASE("oauth/authorize: the authorization endpoint signs in first", "[oauth][host]") {
  auto host = make_runner();
  Browser anonymous(host);
  const std::string client_id = register_client(host);
  auto r =
      anonymous.get(authorize_path({.client_id = client_id, .challenge = new_pkce().challenge}));
  REQUIRE(r.status == 303);
  const std::string location = header(r, "location");
  CHECK(starts_with(location, "/auth/login?"));
  CHECK(starts_with(query_param(location, "return_to"), "/oauth/authorize?"));
  CHECK(count(host, "oauth_requests") == 0);
}

TEST_CASE("oauth/authorize: an unknown client or redirect URI gets an error page, never a redirect",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const std::string challenge = new_pkce().challenge;
  for (const auto& p : {AuthorizeParams{.client_id = "vc_unknown", .challenge = challenge},
                        AuthorizeParams{.client_id = client_id,
                        .challenge = challenge,
                        .redirect_uri = "http://127.0.0.1:7777/other"},
                        AuthorizeParams{.client_id = client_id,
                        .challenge = challenge,
                        .redirect_uri = "https://evil.example/callback"},
                        AuthorizeParams{.client_id = "", .challenge = challenge}}) {
    INFO(p.client_id << " " << p.redirect_uri);
    auto r = s.browser.get(authorize_path(p));
    CHECK(r.status == 400);
    CHECK(header(r, "location").empty());
    CHECK_THAT(header(r, "content-type"), Catch::Contains("text/html"));
  }
  CHECK(count(s.host, "oauth_requests") == 0);
}

TEST_CASE("oauth/authorize: other bad requests go back to the redirect URI with an error",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const std::string challenge = new_pkce().challenge;
  const AuthorizeParams good{.client_id = client_id, .challenge = challenge};
  struct Case {
    AuthorizeParams params;
    const char* error;
  };
  auto with = [&](auto change) {
    AuthorizeParams p = good;
    change(p);
    return p;
  };
  const Case cases[] = {
      {with([](auto& p) { p.challenge = ""; }), "invalid_request"},
      {with([](auto& p) { p.method = "plain"; }), "invalid_request"},
      {with([](auto& p) { p.method = ""; }), "invalid_request"},
      {with([](auto& p) { p.challenge = "short"; }), "invalid_request"},
      {with([](auto& p) { p.response_type = "token"; }), "unsupported_response_type"},
      {with([](auto& p) { p.resource = "https://other.example/v1/mcp"; }), "invalid_target"},
      {with([](auto& p) { p.scope = "vault:admin"; }), "invalid_scope"},
  };
  for (const auto& c : cases) {
    INFO(authorize_path(c.params));
    const std::string location = client_redirect(s.browser.get(authorize_path(c.params)));
    CHECK(query_param(location, "error") == c.error);
    CHECK_FALSE(query_param(location, "error_description").empty());
    CHECK(query_param(location, "code").empty());
  }
  CHECK(count(s.host, "oauth_requests") == 0);
}

TEST_CASE("oauth/authorize: a loopback redirect may use another port, bound to the code",
          "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const Pkce pkce = new_pkce();
  const std::string presented = "http://127.0.0.1:50000/callback";
  auto consent = open_consent(s.browser, authorize_path({.client_id = client_id,
                                                         .challenge = pkce.challenge,
                                                         .redirect_uri = presented}));
  REQUIRE(consent.page.status == 200);
  CHECK_THAT(consent.page.body, Catch::Contains("127.0.0.1:50000"));
  const std::string location = client_redirect(answer(s.browser, consent, "approve"), presented);
  const std::string code = query_param(location, "code");
  auto fields = [&](const std::string& redirect_uri) {
    return std::vector<std::pair<std::string, std::string>>{{"grant_type", "authorization_code"},
                                                            {"code", code},
                                                            {"redirect_uri", redirect_uri},
                                                            {"code_verifier", pkce.verifier},
                                                            {"client_id", client_id}};
  };
  CHECK(oauth_error(token_request(s.host, fields(kRedirect))) == "invalid_grant");
  CHECK(token_request(s.host, fields(presented)).status == 200);
}

TEST_CASE("oauth/authorize: state comes back verbatim", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host);
  const std::string state = "a&b=c d/%20+\xc3\xa9?#";
  auto consent = open_consent(
      s.browser,
      authorize_path({.client_id = client_id, .challenge = new_pkce().challenge, .state = state}));
  client_redirect(answer(s.browser, consent, "approve"), kRedirect, state);
  auto refused =
      s.browser.get(authorize_path({.client_id = client_id, .challenge = "short", .state = state}));
  client_redirect(refused, kRedirect, state);
  auto too_long = s.browser.get(authorize_path({.client_id = client_id,
                                                .challenge = new_pkce().challenge,
                                                .state = std::string(1025, 's')}));
  const std::string location = client_redirect(too_long, kRedirect, "");
  CHECK(query_param(location, "error") == "invalid_request");
}

TEST_CASE("oauth/authorize: the consent page escapes what the client declares", "[oauth][host]") {
  SignedIn s;
  const std::string client_id = register_client(s.host, "<script>alert(1)</script>\"><b>Claude");
  auto consent = consent_for(s.browser, client_id);
  REQUIRE(consent.page.status == 200);
  CHECK_THAT(consent.page.body, !Catch::Contains("<script>"));
  CHECK_THAT(consent.page.body, !Catch::Contains("<b>Claude"));
  CHECK_THAT(consent.page.body, Catch::Contains("&lt;script&gt;"));
  CHECK_THAT(consent.page.body, Catch::Contains("not verified"));
}
