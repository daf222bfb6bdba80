// Device registration as `apilocker register` does it: start, the HTML
// verification page, poll to a master token exactly once.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"
#include "worker/api/app.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {
std::string status_of(const http::Response& r) {
  return std::string(bj::parse(r.body).as_object().at("status").as_string());
}
std::string error_of(const http::Response& r) {
  return std::string(bj::parse(r.body).as_object().at("error").as_string());
}
}  // namespace

TEST_CASE("cli-auth/start answers the RFC 8628 fields the CLI reads", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host);
  CHECK(std::regex_match(s.device_code, std::regex("vk_dc_[A-Za-z0-9_-]{43}")));
  CHECK(std::regex_match(s.user_code,
                         std::regex("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}")));
  CHECK(s.body.at("verification_uri") == "http://127.0.0.1/device");
  CHECK(s.body.at("verification_uri_complete") ==
        bj::value("http://127.0.0.1/device?user_code=" + s.user_code));
  CHECK(s.body.at("expires_in") == 600);
  CHECK(s.body.at("interval") == 5);
  CHECK_FALSE(db_contains(host, s.device_code));  // stored hashed only
  CHECK(sql_text(host,
                 "SELECT hostname || '/' || platform || '/' || platform_version || '/' || "
                 "cli_version || '/' || status FROM device_codes") ==
        "laptop/linux/6.1.0-13-amd64/1.1.0/pending");
  CHECK(poll(host, s.device_code).status == 200);
  CHECK(status_of(poll(host, s.device_code)) != "authorized");
}

TEST_CASE("the full device flow: sign in, approve, poll once to a master token", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host, "work-laptop");
  auto first = poll(host, s.device_code);
  CHECK(first.status == 200);
  CHECK(status_of(first) == "pending");

  Browser b(host);
  // Not signed in: the verification URL sends the browser to sign in and back.
  auto bounce = b.get("/device?user_code=" + s.user_code);
  REQUIRE(bounce.status == 303);
  const std::string login = header(bounce, "location");
  CHECK(login.rfind("/auth/login?return_to=", 0) == 0);
  const std::string back = query_param(login, "return_to");
  CHECK(back == "/device?user_code=" + s.user_code);
  auto login_page = b.get(login);
  auto csrf = hidden_value(login_page.body, "csrf");
  REQUIRE(csrf);
  auto signed_in =
      b.post_form("/auth/dev", form({{"email", "Frank@Example.com"},
                                     {"return_to", *hidden_value(login_page.body, "return_to")},
                                     {"csrf", *csrf}}));
  REQUIRE(signed_in.status == 303);
  CHECK(header(signed_in, "location") == back);

  // The approval page shows what asks for access.
  auto page = b.get(back);
  REQUIRE(page.status == 200);
  for (const char* shown : {"work-laptop", "linux 6.1.0-13-amd64", "apilocker 1.1.0",
                            "frank@example.com", "value=\"approve\"", "value=\"deny\""}) {
    INFO(shown);
    CHECK(page.body.find(shown) != std::string::npos);
  }
  CHECK(page.body.find(s.user_code) != std::string::npos);
  CHECK(page.body.find("<script") == std::string::npos);
  auto approved = b.post_form("/device", form({{"user_code", s.user_code},
                                               {"decision", "approve"},
                                               {"csrf", *hidden_value(page.body, "csrf")}}));
  CHECK(approved.status == 200);
  CHECK(approved.body.find("approved") != std::string::npos);

  age_last_poll(host);
  auto done = poll(host, s.device_code);
  REQUIRE(done.status == 200);
  auto o = bj::parse(done.body).as_object();
  CHECK(o.at("status") == "authorized");
  const std::string token(o.at("master_token").as_string());
  CHECK(std::regex_match(token, std::regex("vk_master_[A-Za-z0-9_-]{43}")));
  CHECK(o.at("email") == "frank@example.com");
  const std::string device_id(o.at("device_id").as_string());
  CHECK(device_id.rfind("dev_", 0) == 0);
  CHECK_FALSE(db_contains(host, token));

  // Exactly once.
  age_last_poll(host);
  auto again = poll(host, s.device_code);
  CHECK(again.status == 400);
  CHECK(error_of(again).find("already") != std::string::npos);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM master_tokens") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM devices") == 1);
  CHECK(sql_text(host, "SELECT name FROM devices") == "work-laptop · linux");

  // The token works.
  auto me = get_bearer(host, "/v1/auth/me", token);
  REQUIRE(me.status == 200);
  CHECK(body_json(me).at("email") == "frank@example.com");
  CHECK(body_json(me).at("user_id") == o.at("user_id"));
  CHECK(body_json(me).at("device_id") == bj::value(device_id));

  // Audit: sign-in, approve, authorize — metadata only.
  CHECK(sql_int(host,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'device.approve' AND "
                "actor_kind = 'session' AND detail = 'work-laptop'") == 1);
  CHECK(sql_int(host,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'device.authorize' AND "
                "actor_kind = 'master' AND actor_id = '" +
                    device_id + "'") == 1);
  // The approved page now says it is done.
  auto after = b.get(back);
  CHECK(after.status == 410);
  CHECK(host.live_tasks() == 0);
}

TEST_CASE("a requested device name is used", "[auth][device]") {
  auto host = make_runner();
  auto r = post_json(host, "/v1/cli-auth/start",
                     R"({"client_metadata":{"hostname":"h","platform":"darwin"},"name":"CI box"})");
  REQUIRE(r.status == 200);
  auto code = std::string(body_json(r).at("user_code").as_string());
  Browser b(host);
  b.dev_sign_in("gina@example.com");
  auto page = b.get("/device?user_code=" + code);
  CHECK(page.body.find("CI box") != std::string::npos);
  CHECK(decide(b, code, "approve").status == 200);
  auto done = poll(host, std::string(body_json(r).at("device_code").as_string()));
  CHECK(done.status == 200);
  CHECK(sql_text(host, "SELECT name FROM devices") == "CI box");
}

TEST_CASE("a denied code polls as denied and never yields a token", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host);
  Browser b(host);
  b.dev_sign_in("hank@example.com");
  auto d = decide(b, s.user_code, "deny");
  CHECK(d.status == 200);
  CHECK(d.body.find("Denied") != std::string::npos);
  auto r = poll(host, s.device_code);
  CHECK(r.status == 200);
  CHECK(status_of(r) == "denied");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM master_tokens") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.deny'") == 1);
  // A later Approve of the same code is refused.
  auto page = b.get("/device?user_code=" + s.user_code);
  CHECK(page.body.find("value=\"approve\"") == std::string::npos);
}

TEST_CASE("an expired code polls as expired and gets a clear page", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host);
  exec_sql(host, "UPDATE device_codes SET expires_at = expires_at - 600000");
  auto r = poll(host, s.device_code);
  CHECK(r.status == 200);
  CHECK(status_of(r) == "expired");
  Browser b(host);
  b.dev_sign_in("ivy@example.com");
  auto page = b.get("/device?user_code=" + s.user_code);
  CHECK(page.status == 410);
  CHECK(page.body.find("expired") != std::string::npos);
  // Approving an expired code (a stale form) does nothing.
  auto stale = b.post_form(
      "/device",
      form({{"user_code", s.user_code}, {"decision", "approve"}, {"csrf", b.csrf_token()}}));
  CHECK(stale.status == 410);
  CHECK(sql_text(host, "SELECT status FROM device_codes") == "pending");
  // Approved, but expired before the poll: still no token.
  exec_sql(host, "UPDATE device_codes SET status = 'approved', user_id = (SELECT id FROM users)");
  CHECK(status_of(poll(host, s.device_code)) == "expired");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM master_tokens") == 0);
}

TEST_CASE("polling faster than the interval is slow_down (HTTP 429)", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host);
  CHECK(poll(host, s.device_code).status == 200);
  auto fast = poll(host, s.device_code);
  CHECK(fast.status == 429);
  auto o = body_json(fast).as_object();
  CHECK(std::string(o.at("error").as_string()).find("slow_down") != std::string::npos);
  CHECK(o.at("status") == "slow_down");
  CHECK(o.at("interval").as_int64() > 5);
  age_last_poll(host);
  CHECK(status_of(poll(host, s.device_code)) == "pending");
}

TEST_CASE("bad input to start and poll gets clear 400s in the CLI's error shape",
          "[auth][device]") {
  auto host = make_runner();
  for (const char* body : {"{not json", "[1,2]", R"({"client_metadata": "linux"})",
                           R"({"client_metadata": {"hostname": 7}})", R"({"name": ["x"]})"}) {
    INFO(body);
    auto r = post_json(host, "/v1/cli-auth/start", body);
    CHECK(r.status == 400);
    CHECK(body_json(r).at("error").is_string());
  }
  CHECK(sql_int(host, "SELECT COUNT(*) FROM device_codes") == 0);
  // Empty body = {} (the CLI sends JSON content-type on empty POSTs): fine.
  CHECK(post_json(host, "/v1/cli-auth/start", "").status == 200);

  for (const char* body : {"{not json", "{}", R"({"device_code": 5})", R"({"device_code": ""})"}) {
    INFO(body);
    auto r = post_json(host, "/v1/cli-auth/poll", body);
    CHECK(r.status == 400);
    CHECK(body_json(r).at("error").is_string());
  }
  for (const char* code : {"vk_dc_unknownunknownunknownunknownunknownunknow", "something-else"}) {
    auto r = poll(host, code);
    CHECK(r.status == 400);
    const auto e = error_of(r);
    CHECK(e.find("unknown device_code") != std::string::npos);
    // The CLI keeps polling on errors mentioning "fetch"; ours must not.
    CHECK(e.find("fetch") == std::string::npos);
  }
}

TEST_CASE("the verification page handles entry, bad and unknown codes", "[auth][device]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("jack@example.com");
  auto entry = b.get("/device");
  CHECK(entry.status == 200);
  CHECK(entry.body.find("name=\"user_code\"") != std::string::npos);
  CHECK(entry.body.find("method=\"get\"") != std::string::npos);
  CHECK(b.get("/device?user_code=hello").status == 400);
  CHECK(b.get("/device?user_code=%3Cscript%3E").body.find("<script>") == std::string::npos);
  CHECK(b.get("/device?user_code=BCDF-GHJK").status == 404);
  auto s = start_device(host);
  std::string lower = s.user_code;
  for (auto& c : lower) c = static_cast<char>(std::tolower(c));
  lower.erase(lower.find('-'), 1);
  auto typed = b.get("/device?user_code=" + lower);
  CHECK(typed.status == 200);
  CHECK(hidden_value(typed.body, "user_code") == s.user_code);
}

TEST_CASE("Approve needs the session's CSRF token", "[auth][device][csrf]") {
  auto host = make_runner();
  auto s = start_device(host);
  Browser b(host);
  b.dev_sign_in("kim@example.com");
  auto page = b.get("/device?user_code=" + s.user_code);
  auto csrf = *hidden_value(page.body, "csrf");
  CHECK(
      b.post_form("/device", form({{"user_code", s.user_code}, {"decision", "approve"}})).status ==
      403);
  CHECK(
      b.post_form("/device",
                  form({{"user_code", s.user_code}, {"decision", "approve"}, {"csrf", csrf + "x"}}))
          .status == 403);
  // Another user's CSRF token does not work with this session.
  Browser other(host);
  other.dev_sign_in("lee@example.com");
  auto other_csrf = *hidden_value(other.get("/device?user_code=" + s.user_code).body, "csrf");
  CHECK(
      b.post_form("/device",
                  form({{"user_code", s.user_code}, {"decision", "approve"}, {"csrf", other_csrf}}))
          .status == 403);
  // Not signed in at all: sent to sign in, nothing decided.
  Browser anon(host);
  auto r = anon.post_form(
      "/device", form({{"user_code", s.user_code}, {"decision", "approve"}, {"csrf", csrf}}));
  CHECK(r.status == 303);
  CHECK(sql_text(host, "SELECT status FROM device_codes") == "pending");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'device.%'") == 0);
  // A bad decision value is a 400.
  CHECK(b.post_form("/device",
                    form({{"user_code", s.user_code}, {"decision", "maybe"}, {"csrf", csrf}}))
            .status == 400);
}

TEST_CASE("a code approved by someone else is 'already used' for others", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host);
  Browser a(host), b(host);
  a.dev_sign_in("max@example.com");
  b.dev_sign_in("nia@example.com");
  auto page_b = b.get("/device?user_code=" + s.user_code);  // both opened the page
  CHECK(decide(a, s.user_code, "approve").status == 200);
  auto late = b.post_form("/device", form({{"user_code", s.user_code},
                                           {"decision", "deny"},
                                           {"csrf", *hidden_value(page_b.body, "csrf")}}));
  CHECK(late.status == 410);
  CHECK(sql_text(host, "SELECT status FROM device_codes") == "approved");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'device.%'") == 1);
}

namespace {
/// Runs `d`'s pending effects through `host` and resumes; returns the next step.
async::Driver::Step step(host::HostRunner& host, async::Driver& d, const async::Driver::Step& s) {
  std::vector<std::pair<std::uint32_t, async::EffectResult>> results;
  for (const auto& [id, e] : s.effects) results.emplace_back(id, host.perform(e));
  return d.resume(s.task_id, std::move(results));
}

http::Request poll_request(const std::string& device_code) {
  http::Request req;
  req.method = "POST";
  req.url = "http://127.0.0.1/v1/cli-auth/poll";
  req.headers = {{"content-type", "application/json"}};
  req.body = bj::serialize(bj::object{{"device_code", device_code}});
  REQUIRE(http::parse_url(req.url, req));
  return req;
}
}  // namespace

TEST_CASE("two racing polls of an approved code: one token, one refusal", "[auth][device]") {
  auto host = make_runner();
  auto s = start_device(host);
  Browser b(host);
  b.dev_sign_in("olga@example.com");
  REQUIRE(decide(b, s.user_code, "approve").status == 200);

  async::Driver d(api::make_handler(host.config()));
  auto a = d.begin(poll_request(s.device_code));
  auto c = d.begin(poll_request(s.device_code));
  REQUIRE_FALSE(a.done);
  REQUIRE_FALSE(c.done);
  a = step(host, d, a);  // A read 'approved'; now waits on its mint batch
  c = step(host, d, c);  // C read 'approved' too (A has not minted yet)
  REQUIRE_FALSE(a.done);
  REQUIRE_FALSE(c.done);
  a = step(host, d, a);
  c = step(host, d, c);
  REQUIRE(a.done);
  REQUIRE(c.done);
  CHECK(a.reply.response.status == 200);
  CHECK(status_of(a.reply.response) == "authorized");
  CHECK(c.reply.response.status == 400);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM devices") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM master_tokens") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.authorize'") == 1);
  CHECK(d.live() == 0);
}
