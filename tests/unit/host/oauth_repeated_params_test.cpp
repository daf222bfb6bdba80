// Repeated parameters at the OAuth endpoints (RFC 6749 §3.1: "Request and
// response parameters MUST NOT be included more than once"), through the real
// router on real SQLite: each endpoint refuses them naming the parameter, and
// nothing is issued or stored.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

http::Response raw_form(host::HostRunner& host, const std::string& path, const std::string& body) {
  return host.request("POST", std::string(kOrigin) + path, body,
                      {{"content-type", "application/x-www-form-urlencoded"}});
}

void check_names(const http::Response& r, const std::string& name) {
  INFO(r.body);
  CHECK(r.status == 400);
  CHECK(oauth_error(r) == "invalid_request");
  CHECK_THAT(r.body, Catch::Contains("'" + name + "'"));
}

}  // namespace

TEST_CASE("oauth/params: the token endpoint refuses a repeated parameter, issues nothing",
          "[oauth][host]") {
  SignedIn s;
  const std::string id = register_client(s.host);
  const std::string other = register_client(s.host, "Other");
  const Pkce pkce = new_pkce();
  const std::string code = approve_code(s.browser, id, pkce);
  const std::string base = "grant_type=authorization_code&code=" + http::url_encode(code) +
                           "&redirect_uri=" + http::url_encode(kRedirect) +
                           "&code_verifier=" + pkce.verifier;
  check_names(raw_form(s.host, "/oauth/token", base + "&client_id=" + other + "&client_id=" + id),
              "client_id");
  check_names(raw_form(s.host, "/oauth/token", base + "&client_id=" + id + "&code=x"), "code");
  CHECK(count(s.host, "oauth_tokens") == 0);
  CHECK(exchange(s.host, id, code, pkce.verifier).status == 200);  // the code is still good
}

TEST_CASE("oauth/params: revocation refuses a repeated token, revokes nothing", "[oauth][host]") {
  SignedIn s;
  auto c = connect(s.host, s.browser);
  check_names(raw_form(s.host, "/oauth/revoke", "token=decoy&token=" + c.tokens.access), "token");
  CHECK(list_keys_status(s.host, c.tokens.access) == 200);
}

TEST_CASE("oauth/params: authorization and consent refuse repeats with a page, no redirect",
          "[oauth][host]") {
  SignedIn s;
  const std::string id = register_client(s.host);
  const std::string other = register_client(s.host, "Other");
  const std::string path = authorize_path({.client_id = id, .challenge = new_pkce().challenge});
  auto r = s.browser.get(path + "&client_id=" + other);
  CHECK(r.status == 400);
  CHECK(header(r, "location").empty());
  CHECK_THAT(r.body, Catch::Contains("invalid_request") && Catch::Contains("client_id"));
  CHECK(count(s.host, "oauth_requests") == 0);

  auto consent = open_consent(s.browser, path);
  REQUIRE_FALSE(consent.request.empty());
  auto answer = s.browser.post_form("/oauth/authorize", form({{"request", consent.request},
                                                              {"csrf", consent.csrf},
                                                              {"decision", "deny"},
                                                              {"decision", "approve"}}));
  CHECK(answer.status == 400);
  CHECK(header(answer, "location").empty());
  CHECK_THAT(answer.body, Catch::Contains("decision"));
  CHECK(count(s.host, "oauth_codes") == 0);
}

TEST_CASE("oauth/params: registration refuses a JSON member given twice", "[oauth][host]") {
  auto host = make_runner();
  auto r = host.request("POST", std::string(kOrigin) + "/oauth/register",
                        R"({"redirect_uris":["https://evil.example/cb"],"client_name":"x",)"
                        R"("redirect_uris":["https://good.example/cb"]})",
                        {{"content-type", "application/json"}});
  INFO(r.body);
  CHECK(r.status == 400);
  CHECK(oauth_error(r) == "invalid_client_metadata");
  CHECK_THAT(r.body, Catch::Contains("'redirect_uris'"));
  CHECK(count(host, "oauth_clients") == 0);
}
