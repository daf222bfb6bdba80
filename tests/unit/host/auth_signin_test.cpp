// Browser sign-in: login page, development form, sessions, CSRF, sign-out.
#include <catch2/catch.hpp>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"

using namespace ve;
using namespace ve::test;

namespace {
constexpr const char* kSession = "__Host-vaultedge_session";
constexpr const char* kLogin = "__Host-vaultedge_login";
}  // namespace

TEST_CASE("login page in development offers the dev form with a CSRF field", "[auth][signin]") {
  auto host = make_runner("development");
  Browser b(host);
  auto r = b.get("/auth/login?return_to=%2Fdevice%3Fuser_code%3DBCDF-GHJK");
  CHECK(r.status == 200);
  CHECK(header(r, "content-type").find("text/html") == 0);
  CHECK(r.body.find("action=\"/auth/dev\"") != std::string::npos);
  CHECK(hidden_value(r.body, "return_to") == "/device?user_code=BCDF-GHJK");
  auto cookie = set_cookie_for(r, kLogin);
  CHECK(cookie.find("; Path=/; Secure; HttpOnly; SameSite=Lax") != std::string::npos);
  REQUIRE(hidden_value(r.body, "csrf"));
  CHECK(hidden_value(r.body, "csrf")->size() == 43);
  // No provider configured: no provider links.
  CHECK(r.body.find("/start") == std::string::npos);
}

TEST_CASE("dev sign-in creates the user, a hashed 30-day session and an audit row",
          "[auth][signin]") {
  auto host = make_runner("development");
  Browser b(host);
  auto page = b.get("/auth/dev?return_to=%2Fdevice");
  REQUIRE(page.status == 200);
  auto csrf = hidden_value(page.body, "csrf");
  REQUIRE(csrf);
  auto r = b.post_form(
      "/auth/dev",
      form({{"email", "Alice@Example.COM"}, {"return_to", "/device"}, {"csrf", *csrf}}));
  REQUIRE(r.status == 303);
  CHECK(header(r, "location") == "/device");
  auto cookie = set_cookie_for(r, kSession);
  CHECK(cookie.find("; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=2592000") !=
        std::string::npos);
  const std::string token = b.cookies()[kSession];
  CHECK(token.rfind("vk_sess_", 0) == 0);
  CHECK(token.size() == 8 + 43);
  CHECK_FALSE(db_contains(host, token));  // stored only as a hash
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 1);
  CHECK(sql_int(host, "SELECT expires_at - created_at FROM sessions") == 30LL * 24 * 3600 * 1000);
  CHECK(sql_text(host, "SELECT email FROM users") == "alice@example.com");
  CHECK(sql_text(host, "SELECT provider || ':' || subject FROM identities") ==
        "dev:alice@example.com");
  CHECK(sql_text(host, "SELECT action || '/' || detail || '/' || actor_kind FROM audit_log") ==
        "auth.sign_in/dev/session");
  // The session is recognised: the login page forwards to the dashboard.
  auto who = b.get("/auth/login");
  CHECK(who.status == 303);
  CHECK(header(who, "location") == "/");
  CHECK(body_json(b.get("/v1/auth/me")).at("email") == "alice@example.com");
}

TEST_CASE("signing in again reuses the user, a second provider with the same email links",
          "[auth][signin]") {
  auto host = make_runner("development");
  Browser a(host), b(host);
  a.dev_sign_in("bob@example.com");
  b.dev_sign_in("BOB@example.com");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM identities") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 2);
  Browser c(host);
  c.dev_sign_in("carol@example.com");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 2);
}

TEST_CASE("the dev form is refused outside development", "[auth][signin]") {
  auto host = make_runner("production");
  Browser b(host);
  auto g = b.get("/auth/dev");
  CHECK(g.status == 404);
  CHECK(g.body.find("ENVIRONMENT=development") != std::string::npos);
  auto p = b.post_form("/auth/dev", form({{"email", "mallory@example.com"}, {"csrf", "x"}}));
  CHECK(p.status == 404);
  CHECK(set_cookie_for(p, kSession).empty());
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  auto login = b.get("/auth/login");
  CHECK(login.status == 200);
  CHECK(login.body.find("/auth/dev") == std::string::npos);
  CHECK(login.body.find("No sign-in provider is configured") != std::string::npos);
}

TEST_CASE("the dev form needs its CSRF field", "[auth][signin][csrf]") {
  auto host = make_runner("development");
  Browser b(host);
  auto page = b.get("/auth/dev");
  auto csrf = hidden_value(page.body, "csrf");
  REQUIRE(csrf);
  SECTION("missing") {
    auto r = b.post_form("/auth/dev", form({{"email", "a@example.com"}}));
    CHECK(r.status == 403);
  }
  SECTION("wrong") {
    // One character changed, to one it certainly is not (a fixed "A" would
    // equal the token's own first character once in 64 runs).
    std::string wrong = *csrf;
    wrong.front() = wrong.front() == 'A' ? 'B' : 'A';
    auto r = b.post_form("/auth/dev", form({{"email", "a@example.com"}, {"csrf", wrong}}));
    CHECK(r.status == 403);
  }
  SECTION("right token but no cookie (another browser)") {
    Browser other(host);
    auto r = other.post_form("/auth/dev", form({{"email", "a@example.com"}, {"csrf", *csrf}}));
    CHECK(r.status == 403);
  }
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
}

TEST_CASE("bad dev-form input gets a 400 page and writes nothing", "[auth][signin]") {
  auto host = make_runner("development");
  Browser b(host);
  auto csrf = *hidden_value(b.get("/auth/dev").body, "csrf");
  CHECK(b.post_form("/auth/dev", form({{"email", "not-an-email"}, {"csrf", csrf}})).status == 400);
  CHECK(b.post_form("/auth/dev", form({{"csrf", csrf}})).status == 400);
  CHECK(b.post_form("/auth/dev", "%%%garbage&&==").status == 403);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
}

TEST_CASE("return_to must stay on this site (open-redirect guard)", "[auth][signin]") {
  auto host = make_runner("development");
  Browser b(host);
  for (const char* target : {"%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F",
                             "%2F%5Cevil.example", "evil.example"}) {
    INFO(target);
    CHECK(b.get(std::string("/auth/login?return_to=") + target).status == 400);
    CHECK(b.get(std::string("/auth/dev?return_to=") + target).status == 400);
  }
  auto csrf = *hidden_value(b.get("/auth/dev").body, "csrf");
  auto r = b.post_form(
      "/auth/dev",
      form({{"email", "a@example.com"}, {"return_to", "//evil.example/x"}, {"csrf", csrf}}));
  CHECK(r.status == 400);
  CHECK(header(r, "location").empty());
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  // Without return_to, sign-in lands on /auth/login (which forwards to `/`).
  auto ok = b.post_form("/auth/dev", form({{"email", "a@example.com"}, {"csrf", csrf}}));
  CHECK(ok.status == 303);
  CHECK(header(ok, "location") == "/auth/login");
}

TEST_CASE("sign-out needs CSRF, deletes the session and clears the cookie", "[auth][signin]") {
  auto host = make_runner("development");
  Browser b(host);
  b.dev_sign_in("dora@example.com");
  // The form's token is the one /v1/auth/me hands the dashboard.
  const auto csrf = std::optional<std::string>(b.csrf_token());
  REQUIRE_FALSE(csrf->empty());
  CHECK(b.post_form("/auth/logout", form({{"csrf", "nope"}})).status == 403);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 1);
  const std::string old = b.cookies()[kSession];
  auto r = b.post_form("/auth/logout", form({{"csrf", *csrf}}));
  CHECK(r.status == 303);
  CHECK(set_cookie_for(r, kSession).find("Max-Age=0") != std::string::npos);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.sign_out'") == 1);
  // The old cookie no longer signs anyone in.
  Browser replay(host);
  replay.cookies()[kSession] = old;
  CHECK(replay.get("/device").status == 303);
}

TEST_CASE("sign-out without a valid CSRF field clears no cookie and ends no session",
          "[auth][signin][csrf]") {
  auto host = make_runner("development");
  Browser b(host);
  b.dev_sign_in("dora@example.com");
  // A wrong or missing field from the signed-in browser: 403, cookie kept.
  for (const auto& body : {form({{"csrf", "nope"}}), std::string()}) {
    auto r = b.post_form("/auth/logout", body);
    CHECK(r.status == 403);
    CHECK(set_cookies(r).empty());
  }
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 1);
  // A cross-site form posts without the cookie (SameSite=Lax): nothing to
  // derive a token from, so nothing is cleared either (logout CSRF).
  Browser stranger(host);
  auto r = stranger.post_form("/auth/logout", form({{"csrf", "anything"}}));
  CHECK(r.status == 403);
  CHECK(set_cookies(r).empty());
  CHECK(header(r, "location").empty());
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 1);
}

TEST_CASE("an expired or forged session cookie is ignored", "[auth][signin]") {
  auto host = make_runner("development");
  Browser b(host);
  b.dev_sign_in("erin@example.com");
  CHECK(b.get("/device").status == 200);
  exec_sql(host, "UPDATE sessions SET expires_at = 1");
  CHECK(b.get("/device").status == 303);
  Browser forged(host);
  forged.cookies()[kSession] = "vk_sess_forged";
  CHECK(forged.get("/device").status == 303);
  // JSON routes answer 401 for a browser without a valid session.
  CHECK(forged.get("/v1/devices").status == 401);
}
