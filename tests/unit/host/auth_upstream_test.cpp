// Sign-in through an upstream provider: OIDC by discovery, the Google preset
// and GitHub, each against a fake provider answering the core's fetches.
#include <catch2/catch.hpp>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"
#include "worker/crypto/encoding.hpp"
#include "worker/crypto/sha256.hpp"
#include "worker/http/message.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {

constexpr const char* kSession = "__Host-vaultedge_session";
constexpr const char* kState = "__Host-vaultedge_oauth_state";

async::EffectResult reply(int status, std::string body) {
  async::EffectResult r;
  r.ok = true;
  r.value = async::FetchResponse{status, {{"content-type", "application/json"}}, std::move(body)};
  return r;
}

std::string b64url(const std::string& s) {
  return crypto::base64url_encode(s);
}

/// A scriptable OpenID provider (and, with `github`, GitHub's OAuth + API).
struct FakeIdp {
  std::string issuer = "https://idp.example";
  std::string client_id = "vaultedge-test";
  std::string sub = "user-123";
  std::string email = "Wendy@Example.COM";
  bj::value email_verified = true;
  // Deviations a test can switch on:
  std::string discovery_issuer;      // discovery names another issuer
  std::string token_nonce;           // ID token carries another nonce
  std::string userinfo_sub;          // UserInfo talks about another subject
  bool token_fails = false;          // token endpoint answers invalid_grant
  bool github_error_in_200 = false;  // GitHub's habit
  bool github_no_verified = false;
  // What the core sent:
  std::string challenge, nonce;  // from the authorize redirect
  std::vector<async::FetchRequest> seen;

  void saw_authorize(const std::string& location) {
    challenge = query_param(location, "code_challenge");
    nonce = query_param(location, "nonce");
  }

  std::string id_token() const {
    bj::object claims{{"iss", issuer},
                      {"sub", sub},
                      {"aud", bj::array{client_id, "other"}},
                      {"exp", std::time(nullptr) + 300},
                      {"iat", std::time(nullptr)},
                      {"nonce", token_nonce.empty() ? nonce : token_nonce}};
    return b64url(R"({"alg":"RS256","typ":"JWT"})") + "." + b64url(bj::serialize(claims)) +
           ".c2lnbmF0dXJl";
  }

  /// Checks the token request (PKCE S256 against the authorize challenge).
  std::optional<async::EffectResult> bad_token_request(const async::FetchRequest& f) const {
    auto form = http::parse_form(f.body);
    if (f.method != "POST" || form["grant_type"] != "authorization_code" ||
        form["code"] != "good-code" ||
        crypto::base64url_encode(crypto::sha256(form["code_verifier"])) != challenge) {
      return reply(400, R"({"error":"invalid_grant","error_description":"bad code or verifier"})");
    }
    return std::nullopt;
  }

  async::EffectResult operator()(const async::FetchRequest& f) {
    seen.push_back(f);
    if (f.url == issuer + "/.well-known/openid-configuration") {
      return reply(200, bj::serialize(bj::object{
                            {"issuer", discovery_issuer.empty() ? issuer : discovery_issuer},
                            {"authorization_endpoint", issuer + "/authorize"},
                            {"token_endpoint", issuer + "/token"},
                            {"userinfo_endpoint", issuer + "/userinfo"},
                            {"token_endpoint_auth_methods_supported",
                             bj::array{"client_secret_basic", "client_secret_post"}}}));
    }
    if (f.url == issuer + "/token") {
      if (token_fails) return reply(400, R"({"error":"invalid_grant"})");
      if (auto bad = bad_token_request(f)) return *bad;
      return reply(
          200, bj::serialize(bj::object{
                   {"access_token", "at-1"}, {"token_type", "Bearer"}, {"id_token", id_token()}}));
    }
    if (f.url == issuer + "/userinfo") {
      if (http::find_header(f.headers, "authorization") != std::string_view("Bearer at-1")) {
        return reply(401, R"({"error":"invalid_token"})");
      }
      bj::object o{{"sub", userinfo_sub.empty() ? sub : userinfo_sub}};
      if (!email.empty()) o["email"] = email;
      if (!email_verified.is_null()) o["email_verified"] = email_verified;
      return reply(200, bj::serialize(o));
    }
    if (f.url == "https://github.com/login/oauth/access_token") {
      if (github_error_in_200) {
        return reply(200, R"({"error":"bad_verification_code","error_description":"gone"})");
      }
      if (auto bad = bad_token_request(f)) return *bad;
      auto form = http::parse_form(f.body);
      if (form["client_id"] != "gh-id" || form["client_secret"] != "gh-secret") {
        return reply(200, R"({"error":"incorrect_client_credentials"})");
      }
      return reply(200, R"({"access_token":"gho_1","token_type":"bearer","scope":"read:user"})");
    }
    if (f.url == "https://api.github.com/user") {
      return reply(200, R"({"id": 583231, "login": "octocat", "email": null})");
    }
    if (f.url == "https://api.github.com/user/emails") {
      if (github_no_verified) {
        return reply(200, R"([{"email":"Octo@GitHub.com","primary":true,"verified":false}])");
      }
      return reply(200, R"([{"email":"old@example.com","primary":false,"verified":true},
                            {"email":"Octo@GitHub.com","primary":true,"verified":true}])");
    }
    async::EffectResult fail;
    fail.error = "connection refused";
    return fail;
  }
};

std::map<std::string, std::string> oidc_vars(const FakeIdp& idp) {
  return {{"OIDC_ISSUER", idp.issuer},
          {"OIDC_CLIENT_ID", idp.client_id},
          {"OIDC_CLIENT_SECRET", "s3cret"},
          {"OIDC_NAME", "Acme SSO"}};
}

/// Starts a sign-in; returns the authorize URL (the fake learns challenge and nonce).
std::string start(Browser& b, FakeIdp& idp, const std::string& slug,
                  const std::string& return_to = "/device") {
  auto r = b.get("/auth/" + slug + "/start?return_to=" + http::url_encode(return_to));
  REQUIRE(r.status == 302);
  std::string location = header(r, "location");
  idp.saw_authorize(location);
  return location;
}

http::Response callback(Browser& b, const std::string& slug, const std::string& authorize_url,
                        const std::string& code = "good-code") {
  return b.get("/auth/" + slug + "/callback?code=" + code +
               "&state=" + http::url_encode(query_param(authorize_url, "state")));
}

}  // namespace

TEST_CASE("OIDC sign-in by discovery: PKCE, state, nonce, userinfo", "[auth][upstream]") {
  FakeIdp idp;
  auto host = make_runner_with(oidc_vars(idp));
  host.set_fetch(std::ref(idp));
  Browser b(host);

  auto login = b.get("/auth/login?return_to=%2Fdevice");
  CHECK(login.body.find("Sign in with Acme SSO") != std::string::npos);
  CHECK(login.body.find("href=\"/auth/oidc/start?return_to=%2Fdevice\"") != std::string::npos);

  const std::string authorize = start(b, idp, "oidc");
  CHECK(authorize.rfind("https://idp.example/authorize?", 0) == 0);
  CHECK(query_param(authorize, "response_type") == "code");
  CHECK(query_param(authorize, "client_id") == "vaultedge-test");
  CHECK(query_param(authorize, "redirect_uri") == "http://127.0.0.1/auth/oidc/callback");
  CHECK(query_param(authorize, "scope") == "openid email profile");
  CHECK(query_param(authorize, "code_challenge_method") == "S256");
  CHECK(idp.challenge.size() == 43);
  CHECK(idp.nonce.size() >= 43);
  const std::string state = query_param(authorize, "state");
  CHECK(state.rfind("vk_ls_", 0) == 0);
  CHECK(b.cookies()[kState] == state);
  CHECK_FALSE(db_contains(host, state));  // hashed
  CHECK(sql_int(host, "SELECT expires_at - strftime('%s','now') * 1000 FROM login_states") >
        590000);

  auto r = callback(b, "oidc", authorize);
  REQUIRE(r.status == 303);
  CHECK(header(r, "location") == "/device");
  CHECK(b.cookies().count(kSession) == 1);
  CHECK(b.cookies().count(kState) == 0);  // cleared
  CHECK(sql_text(host, "SELECT provider || '|' || subject || '|' || email FROM identities") ==
        "oidc:https://idp.example|user-123|wendy@example.com");
  CHECK(sql_text(host, "SELECT email FROM users") == "wendy@example.com");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM login_states") == 0);
  CHECK(sql_text(host, "SELECT detail FROM audit_log WHERE action = 'auth.sign_in'") ==
        "oidc:https://idp.example");
  // Client authentication: HTTP Basic (the discovery lists it first).
  bool basic = false;
  for (const auto& f : idp.seen) {
    if (f.url == idp.issuer + "/token") {
      auto a = http::find_header(f.headers, "authorization");
      basic = a && a->rfind("Basic ", 0) == 0;
      CHECK(f.body.find("s3cret") == std::string::npos);
    }
  }
  CHECK(basic);
  // Signed in.
  CHECK(b.get("/device").status == 200);
}

TEST_CASE("the sign-in state is single-use and bound to the browser", "[auth][upstream]") {
  FakeIdp idp;
  auto host = make_runner_with(oidc_vars(idp));
  host.set_fetch(std::ref(idp));
  Browser b(host);
  const std::string authorize = start(b, idp, "oidc");

  SECTION("another browser cannot complete it (login CSRF)") {
    Browser attacker_victim(host);
    auto r = callback(attacker_victim, "oidc", authorize);
    CHECK(r.status == 400);
    CHECK(r.body.find("another browser") != std::string::npos);
    CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  }
  SECTION("a replayed callback is refused") {
    CHECK(callback(b, "oidc", authorize).status == 303);
    b.cookies()[kState] = query_param(authorize, "state");
    auto again = callback(b, "oidc", authorize);
    CHECK(again.status == 400);
    CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 1);
  }
  SECTION("after 10 minutes it has expired") {
    exec_sql(host, "UPDATE login_states SET expires_at = 1");
    CHECK(callback(b, "oidc", authorize).status == 400);
    CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  }
  SECTION("a missing state is refused") {
    CHECK(b.get("/auth/oidc/callback?code=good-code").status == 400);
  }
  SECTION("the user cancelling at the provider gets a clear page") {
    auto r = b.get("/auth/oidc/callback?error=access_denied&state=" +
                   http::url_encode(query_param(authorize, "state")));
    CHECK(r.status == 403);
    CHECK(r.body.find("cancelled") != std::string::npos);
  }
}

TEST_CASE("inconsistent or unverified provider answers are refused", "[auth][upstream]") {
  FakeIdp idp;
  auto host = make_runner_with(oidc_vars(idp));
  host.set_fetch(std::ref(idp));
  Browser b(host);
  int expected = 502;
  SECTION("nonce mismatch") {
    idp.token_nonce = "replayed-nonce";
  }
  SECTION("userinfo about another subject") {
    idp.userinfo_sub = "someone-else";
  }
  SECTION("token endpoint refuses the code") {
    idp.token_fails = true;
  }
  SECTION("email not verified") {
    idp.email_verified = false;
    expected = 403;
  }
  SECTION("email_verified sent as the string \"false\"") {
    idp.email_verified = "false";
    expected = 403;
  }
  SECTION("no email shared") {
    idp.email = "";
    expected = 403;
  }
  SECTION("wrong code (PKCE/code check at the provider)") {
    auto authorize = start(b, idp, "oidc");
    CHECK(callback(b, "oidc", authorize, "stolen-code").status == 502);
    CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
    return;
  }
  auto authorize = start(b, idp, "oidc");
  auto r = callback(b, "oidc", authorize);
  CHECK(r.status == expected);
  CHECK(header(r, "content-type").find("text/html") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
}

TEST_CASE("an email_verified claim that is absent is accepted", "[auth][upstream]") {
  FakeIdp idp;
  idp.email_verified = nullptr;
  auto host = make_runner_with(oidc_vars(idp));
  host.set_fetch(std::ref(idp));
  Browser b(host);
  CHECK(callback(b, "oidc", start(b, idp, "oidc")).status == 303);
}

TEST_CASE("discovery is checked: issuer match, https endpoints", "[auth][upstream]") {
  SECTION("discovery names another issuer") {
    FakeIdp idp;
    idp.discovery_issuer = "https://evil.example";
    auto host = make_runner_with(oidc_vars(idp));
    host.set_fetch(std::ref(idp));
    Browser b(host);
    CHECK(b.get("/auth/oidc/start").status == 502);
    CHECK(sql_int(host, "SELECT COUNT(*) FROM login_states") == 0);
  }
  SECTION("provider unreachable") {
    FakeIdp idp;
    idp.issuer = "https://down.example";
    auto vars = oidc_vars(idp);
    auto host = make_runner_with(vars);
    Browser b(host);  // no fetch handler: every fetch fails
    auto r = b.get("/auth/oidc/start");
    CHECK(r.status == 502);
    CHECK(r.body.find("could not reach") != std::string::npos);
  }
  SECTION("plain-http issuers only on loopback and only in development") {
    FakeIdp idp;
    idp.issuer = "http://127.0.0.1:9999";
    auto dev = make_runner_with(oidc_vars(idp));
    dev.set_fetch(std::ref(idp));
    Browser d(dev);
    CHECK(callback(d, "oidc", start(d, idp, "oidc")).status == 303);

    auto vars = oidc_vars(idp);
    vars["ENVIRONMENT"] = "production";
    auto prod = make_runner_with(vars);
    prod.set_fetch(std::ref(idp));
    Browser p(prod);
    CHECK(p.get("/auth/oidc/start").status == 500);

    FakeIdp remote;
    remote.issuer = "http://idp.example";
    auto dev2 = make_runner_with(oidc_vars(remote));
    dev2.set_fetch(std::ref(remote));
    Browser d2(dev2);
    CHECK(d2.get("/auth/oidc/start").status == 500);
    CHECK(remote.seen.empty());
  }
}

TEST_CASE("the Google preset is OIDC at accounts.google.com", "[auth][upstream]") {
  FakeIdp idp;
  idp.issuer = "https://accounts.google.com";
  idp.client_id = "g-id.apps.googleusercontent.com";
  auto host =
      make_runner_with({{"GOOGLE_CLIENT_ID", idp.client_id}, {"GOOGLE_CLIENT_SECRET", "g-secret"}});
  host.set_fetch(std::ref(idp));
  Browser b(host);
  CHECK(b.get("/auth/login").body.find("Sign in with Google") != std::string::npos);
  auto authorize = start(b, idp, "google");
  CHECK(query_param(authorize, "redirect_uri") == "http://127.0.0.1/auth/google/callback");
  CHECK(callback(b, "google", authorize).status == 303);
  CHECK(sql_text(host, "SELECT provider FROM identities") == "google");
}

TEST_CASE("GitHub sign-in: token with Accept JSON, id and verified primary email",
          "[auth][upstream]") {
  FakeIdp idp;
  auto host =
      make_runner_with({{"GITHUB_CLIENT_ID", "gh-id"}, {"GITHUB_CLIENT_SECRET", "gh-secret"}});
  host.set_fetch(std::ref(idp));
  Browser b(host);
  auto authorize = start(b, idp, "github", "/auth/login");
  CHECK(authorize.rfind("https://github.com/login/oauth/authorize?", 0) == 0);
  CHECK(query_param(authorize, "scope") == "read:user user:email");
  CHECK(query_param(authorize, "code_challenge_method") == "S256");
  CHECK(query_param(authorize, "nonce").empty());

  SECTION("happy path") {
    auto r = callback(b, "github", authorize);
    REQUIRE(r.status == 303);
    CHECK(header(r, "location") == "/auth/login");
    CHECK(sql_text(host, "SELECT provider || '|' || subject || '|' || email FROM identities") ==
          "github|583231|octo@github.com");
    for (const auto& f : idp.seen) {
      if (f.url.find("access_token") != std::string::npos) {
        CHECK(http::find_header(f.headers, "accept") == std::string_view("application/json"));
      } else {
        CHECK(http::find_header(f.headers, "user-agent").has_value());
      }
    }
  }
  SECTION("an error inside a 200 token answer") {
    idp.github_error_in_200 = true;
    auto r = callback(b, "github", authorize);
    CHECK(r.status == 502);
    CHECK(r.body.find("bad_verification_code") != std::string::npos);
  }
  SECTION("no verified primary email") {
    idp.github_no_verified = true;
    auto r = callback(b, "github", authorize);
    CHECK(r.status == 403);
    CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
  }
}

TEST_CASE("providers that are not configured are 404, return_to is guarded", "[auth][upstream]") {
  auto host = make_runner();
  Browser b(host);
  CHECK(b.get("/auth/github/start").status == 404);
  CHECK(b.get("/auth/google/callback?code=x&state=y").status == 404);
  CHECK(b.get("/auth/whatever/start").status == 404);
  FakeIdp idp;
  auto configured = make_runner_with(oidc_vars(idp));
  configured.set_fetch(std::ref(idp));
  Browser c(configured);
  CHECK(c.get("/auth/oidc/start?return_to=%2F%2Fevil.example").status == 400);
  CHECK(c.get("/auth/oidc/start?return_to=https%3A%2F%2Fevil.example").status == 400);
  CHECK(idp.seen.empty());
}
