// Wrong user codes at the verification page are limited (RFC 8628 §5.1:
// brute-forcing the user code): failed lookups count per user and per client
// address in D1, and past the limit every lookup is refused with 429 until the
// one-minute window ends. Real router, real SQLite.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"
#include "worker/util/time.hpp"

using namespace ve;
using namespace ve::test;

namespace {
/// Waits until the current one-minute window has at least 5 s left, so a test's
/// failures all land in one window.
void fresh_window() {
  const auto left = 60'000 - util::now_ms() % 60'000;
  if (left < 5'000) std::this_thread::sleep_for(std::chrono::milliseconds(left + 50));
}

void check_too_many(const http::Response& r) {
  INFO(r.body);
  CHECK(r.status == 429);
  CHECK(r.body.find("Too many wrong codes") != std::string::npos);
  const std::string retry = header(r, "retry-after");
  REQUIRE_FALSE(retry.empty());
  CHECK(std::stoi(retry) >= 1);
  CHECK(std::stoi(retry) <= 60);
}
}  // namespace

TEST_CASE("wrong user codes: five per user per minute, then every lookup is 429",
          "[auth][device][ratelimit]") {
  auto host = make_runner();
  fresh_window();
  auto s = start_device(host);
  Browser b(host);
  b.dev_sign_in("guesser@example.com");
  auto approval = b.get("/device?user_code=" + s.user_code);
  CHECK(approval.status == 200);  // a right code is no failure
  // Malformed input is a typo, not a guess: it does not count.
  for (int i = 0; i < 10; ++i) CHECK(b.get("/device?user_code=hello").status == 400);
  for (const char* wrong : {"BCDF-GHJK", "BCDF-GHJL", "BCDF-GHJM", "BCDF-GHJN", "BCDF-GHJP"}) {
    if (wrong == s.user_code) continue;
    CHECK(b.get(std::string("/device?user_code=") + wrong).status == 404);
  }
  CHECK(sql_int(host,
                "SELECT count FROM rate_limits WHERE bucket LIKE "
                "'device_code_failures:user:%'") == 5);
  // The sixth lookup is refused even for the right code, by GET and by POST.
  check_too_many(b.get("/device?user_code=" + s.user_code));
  auto csrf = hidden_value(approval.body, "csrf");
  REQUIRE(csrf);
  check_too_many(b.post_form(
      "/device", form({{"user_code", s.user_code}, {"decision", "approve"}, {"csrf", *csrf}})));
  CHECK(sql_text(host, "SELECT status FROM device_codes") == "pending");
  // Another person is not held back by this user's failures.
  Browser other(host);
  other.dev_sign_in("owner@example.com");
  CHECK(other.get("/device?user_code=" + s.user_code).status == 200);
}

TEST_CASE("wrong user codes are also limited per client address", "[auth][device][ratelimit]") {
  auto host = make_runner_with({{"RATE_LIMIT_DEVICE_CODE_FAILURES_PER_IP", "3"}});
  fresh_window();
  auto s = start_device(host);
  Browser a(host), b(host);
  a.dev_sign_in("a@example.com");
  b.dev_sign_in("b@example.com");
  // Both browsers share the address (none given: the key `unknown`).
  CHECK(a.get("/device?user_code=BCDF-GHJK").status == 404);
  CHECK(b.get("/device?user_code=BCDF-GHJL").status == 404);
  CHECK(b.get("/device?user_code=BCDF-GHJM").status == 404);
  auto r = a.get("/device?user_code=" + s.user_code);
  check_too_many(r);
  CHECK(r.body.find("per client address") != std::string::npos);
}
