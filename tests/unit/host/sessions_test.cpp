// Browser sessions (docs/signin.md "Sessions"): what sign-in records, the 24 h
// idle limit and the 5-minute last_seen granularity, GET /v1/sessions,
// DELETE /v1/sessions/:id, POST /v1/sessions/revoke-others, /auth/login when
// signed in, and the dashboard's fetch sign-out.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"
#include "worker/util/time.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {

constexpr const char* kChromeLinux =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36";
constexpr const char* kFirefoxWindows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const std::regex kIso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

/// Signs `b` in through the development form as `email`, from `user_agent` at `ip`.
void sign_in(Browser& b, const std::string& email, const std::string& user_agent,
             const std::string& ip = "203.0.113.7") {
  auto page = b.get("/auth/dev");
  auto csrf = hidden_value(page.body, "csrf");
  REQUIRE(csrf);
  auto r = b.post("/auth/dev", form({{"email", email}, {"return_to", "/"}, {"csrf", *csrf}}),
                  {{"content-type", "application/x-www-form-urlencoded"},
                   {"user-agent", user_agent},
                   {"cf-connecting-ip", ip}});
  REQUIRE(r.status == 303);
}

bj::array sessions_of(Browser& b) {
  auto r = b.get("/v1/sessions");
  INFO(r.body);
  REQUIRE(r.status == 200);
  return body_json(r).at("sessions").as_array();
}

std::string session_id_of(Browser& b) {
  auto r = b.get("/v1/auth/me");
  REQUIRE(r.status == 200);
  return std::string(body_json(r).at("session_id").as_string());
}

std::string code_of(const http::Response& r) {
  return std::string(body_json(r).at("code").as_string());
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

}  // namespace

TEST_CASE("sessions: sign-in records the browser and the list shows the user's live sessions",
          "[sessions][host]") {
  auto host = make_runner();
  Browser laptop(host);
  Browser desktop(host);
  Browser stranger(host);
  sign_in(laptop, "sam@example.com", kChromeLinux, "198.51.100.4");
  sign_in(desktop, "sam@example.com", kFirefoxWindows);
  sign_in(stranger, "tess@example.com", kChromeLinux);
  // A user agent longer than 256 bytes is cut there.
  Browser verbose(host);
  sign_in(verbose, "sam@example.com", std::string(300, 'x'));
  // Distinct sign-in times: laptop, then desktop, then the verbose one.
  exec_sql(host, "UPDATE sessions SET created_at = created_at - 60000 WHERE id = " +
                     quoted(session_id_of(laptop)));
  exec_sql(host, "UPDATE sessions SET created_at = created_at - 30000 WHERE id = " +
                     quoted(session_id_of(desktop)));

  const auto list = sessions_of(desktop);
  REQUIRE(list.size() == 3);
  int current = 0;
  for (const auto& v : list) {
    const auto& s = v.as_object();
    CHECK(std::string(s.at("id").as_string()).rfind("ses_", 0) == 0);
    CHECK(s.at("ip").is_string());
    CHECK(s.at("country").is_null());  // the host runner has no edge country
    for (const char* t : {"created_at", "last_seen_at", "expires_at", "idle_expires_at"}) {
      INFO(t);
      CHECK(std::regex_match(std::string(s.at(t).as_string()), kIso));
    }
    if (s.at("current").as_bool()) {
      ++current;
      CHECK(s.at("id") == bj::value(session_id_of(desktop)));
      CHECK(s.at("device") == "Firefox on Windows");
      CHECK(s.at("user_agent") == kFirefoxWindows);
    }
  }
  CHECK(current == 1);
  // Newest first.
  CHECK(list.back().at("id") == bj::value(session_id_of(laptop)));
  CHECK(list.back().at("device") == "Chrome on Linux");
  CHECK(list.back().at("ip") == "198.51.100.4");
  CHECK(list[0].at("user_agent").as_string().size() == 256);
  CHECK(list[0].at("device").is_null());
  CHECK(list[1].at("id") == bj::value(session_id_of(desktop)));
  // Lifetimes: 30 days absolute (the newest session's times are untouched).
  const auto& s = list[0].as_object();
  CHECK(sql_int(host, "SELECT expires_at - created_at FROM sessions WHERE id = " +
                          quoted(std::string(s.at("id").as_string()))) == 30LL * 24 * 3600 * 1000);
  CHECK(sessions_of(stranger).size() == 1);
}

TEST_CASE(
    "sessions: unused for 24 hours, a session is dead and last_seen is written at most every "
    "5 minutes",
    "[sessions][host]") {
  auto host = make_runner();
  Browser b(host);
  sign_in(b, "ida@example.com", kChromeLinux);
  const std::string id = session_id_of(b);
  const std::string where = " WHERE id = " + quoted(id);
  const auto now = util::now_ms();

  exec_sql(host,
           "UPDATE sessions SET last_seen_at = " + std::to_string(now - 4 * 60'000LL) + where);
  CHECK(b.get("/v1/auth/me").status == 200);
  CHECK(sql_int(host, "SELECT last_seen_at FROM sessions" + where) == now - 4 * 60'000LL);
  exec_sql(host,
           "UPDATE sessions SET last_seen_at = " + std::to_string(now - 6 * 60'000LL) + where);
  CHECK(b.get("/v1/auth/me").status == 200);
  CHECK(sql_int(host, "SELECT last_seen_at FROM sessions" + where) >= now);

  // 23 hours idle: alive (and bumped); 24 hours and a bit: dead, and not revived.
  exec_sql(host,
           "UPDATE sessions SET last_seen_at = " + std::to_string(now - 23 * 3'600'000LL) + where);
  CHECK(b.get("/v1/auth/me").status == 200);
  exec_sql(host, "UPDATE sessions SET last_seen_at = " +
                     std::to_string(now - 24 * 3'600'000LL - 1000) + where);
  CHECK(b.get("/v1/auth/me").status == 401);
  CHECK(b.get("/v1/auth/me").status == 401);
  CHECK(sql_int(host, "SELECT last_seen_at FROM sessions" + where) < now - 24 * 3'600'000LL);
  // The purge drops it.
  CHECK(host.scheduled().status == 200);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);

  // The absolute limit holds however active the session is.
  Browser c(host);
  sign_in(c, "ida@example.com", kChromeLinux);
  exec_sql(host, "UPDATE sessions SET expires_at = " + std::to_string(now - 1));
  CHECK(c.get("/v1/auth/me").status == 401);
}

TEST_CASE("sessions: revoke one by id", "[sessions][host]") {
  auto host = make_runner();
  Browser a(host);
  Browser b(host);
  Browser other(host);
  sign_in(a, "jo@example.com", kChromeLinux);
  sign_in(b, "jo@example.com", kFirefoxWindows);
  sign_in(other, "kim@example.com", kChromeLinux);
  const std::string b_id = session_id_of(b);
  const std::string other_id = session_id_of(other);

  // Another user's session is "not found", and stays.
  auto foreign = a.fetch("DELETE", "/v1/sessions/" + other_id);
  CHECK(foreign.status == 404);
  CHECK(code_of(foreign) == "not_found");
  CHECK(other.get("/v1/auth/me").status == 200);
  CHECK(a.fetch("DELETE", "/v1/sessions/ses_nope").status == 404);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'session.%'") == 0);

  auto r = a.fetch("DELETE", "/v1/sessions/" + b_id);
  REQUIRE(r.status == 200);
  CHECK(body_json(r) == bj::value{{"id", b_id}, {"revoked", true}, {"current", false}});
  CHECK(set_cookie_for(r, "__Host-vaultedge_session").empty());
  CHECK(b.get("/v1/auth/me").status == 401);
  CHECK(a.get("/v1/auth/me").status == 200);
  CHECK(sql_int(host,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'session.revoke' AND "
                "actor_kind = 'session' AND detail = 'session " +
                    b_id + "'") == 1);
  CHECK(a.fetch("DELETE", "/v1/sessions/" + b_id).status == 404);

  // A device token may revoke sessions too (it is a full-access principal).
  auto d = register_device(host, a, "laptop");
  Browser c(host);
  sign_in(c, "jo@example.com", kChromeLinux);
  auto by_token = host.request("DELETE", "http://127.0.0.1/v1/sessions/" + session_id_of(c), "",
                               {{"authorization", "Bearer " + d.token}});
  CHECK(by_token.status == 200);
  CHECK(body_json(by_token).at("current") == false);

  // Revoking one's own session also drops the cookie.
  const std::string own = session_id_of(a);
  auto self = a.fetch("DELETE", "/v1/sessions/" + own);
  REQUIRE(self.status == 200);
  CHECK(body_json(self).at("current") == true);
  CHECK(set_cookie_for(self, "__Host-vaultedge_session").find("Max-Age=0") != std::string::npos);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions WHERE id = " + quoted(own)) == 0);
}

TEST_CASE("sessions: revoke-others keeps the caller's session only", "[sessions][host]") {
  auto host = make_runner();
  Browser a(host);
  Browser b(host);
  Browser c(host);
  Browser other(host);
  sign_in(a, "lee@example.com", kChromeLinux);
  sign_in(b, "lee@example.com", kChromeLinux);
  sign_in(c, "lee@example.com", kChromeLinux);
  sign_in(other, "max@example.com", kChromeLinux);
  // An idle-dead session is removed but not counted.
  Browser dead(host);
  sign_in(dead, "lee@example.com", kChromeLinux);
  exec_sql(host, "UPDATE sessions SET last_seen_at = 1 WHERE id = " + quoted(session_id_of(dead)));

  auto d = register_device(host, a, "laptop");
  auto by_token = host.request("POST", "http://127.0.0.1/v1/sessions/revoke-others", "",
                               {{"authorization", "Bearer " + d.token}});
  CHECK(by_token.status == 403);
  CHECK(code_of(by_token) == "session_required");

  auto r = a.fetch("POST", "/v1/sessions/revoke-others");
  REQUIRE(r.status == 200);
  CHECK(body_json(r) == bj::value{{"revoked", 2}});
  CHECK(a.get("/v1/auth/me").status == 200);
  CHECK(b.get("/v1/auth/me").status == 401);
  CHECK(c.get("/v1/auth/me").status == 401);
  CHECK(other.get("/v1/auth/me").status == 200);
  CHECK(sessions_of(a).size() == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.revoke_others'") ==
        1);
  CHECK(body_json(a.fetch("POST", "/v1/sessions/revoke-others")) == bj::value{{"revoked", 0}});
}

TEST_CASE("sessions: /auth/login forwards a signed-in browser and fetch sign-out answers 204",
          "[sessions][host]") {
  auto host = make_runner();
  Browser b(host);
  CHECK(b.get("/auth/login").status == 200);  // not signed in: the sign-in page
  sign_in(b, "nia@example.com", kChromeLinux);
  auto home = b.get("/auth/login");
  CHECK(home.status == 303);
  CHECK(header(home, "location") == "/");
  auto back = b.get("/auth/login?return_to=%2Fdevice%3Fuser_code%3DBCDF-GHJK");
  CHECK(back.status == 303);
  CHECK(header(back, "location") == "/device?user_code=BCDF-GHJK");
  CHECK(b.get("/auth/login?return_to=%2F%2Fevil.example").status == 400);

  // Sign-out by fetch: the header instead of the form field, 204 instead of 303.
  const std::string token = b.csrf_token();
  auto wrong = b.post("/auth/logout", "", {{"x-csrf-token", std::string(43, 'A')}});
  CHECK(wrong.status == 403);
  CHECK(code_of(wrong) == "csrf_required");
  CHECK(set_cookies(wrong).empty());
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 1);
  auto out = b.post("/auth/logout", "", {{"x-csrf-token", token}});
  CHECK(out.status == 204);
  CHECK(out.body.empty());
  CHECK(set_cookie_for(out, "__Host-vaultedge_session").find("Max-Age=0") != std::string::npos);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM sessions") == 0);
  CHECK(sql_int(host, "SELECT status FROM audit_log WHERE action = 'auth.sign_out'") == 204);
  CHECK(b.get("/auth/login").status == 200);
}
