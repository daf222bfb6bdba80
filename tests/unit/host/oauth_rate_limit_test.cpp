// Per-address rate limits of the endpoints anyone may call (docs/oauth.md
// "Rate limits"): registration, and the token endpoint with revocation, through
// the real router on real SQLite. The client address comes from
// cf-connecting-ip, as the shim passes it.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

http::Response register_from(host::HostRunner& host, const std::string& ip,
                             const std::string& body) {
  return host.request("POST", std::string(kOrigin) + "/oauth/register", body,
                      {{"content-type", "application/json"}, {"cf-connecting-ip", ip}});
}

http::Response form_post_from(host::HostRunner& host, const std::string& ip,
                              const std::string& path, const std::string& body) {
  return host.request(
      "POST", std::string(kOrigin) + path, body,
      {{"content-type", "application/x-www-form-urlencoded"}, {"cf-connecting-ip", ip}});
}

/// Checks `r` is the per-address refusal: 429, rate_limited, Retry-After within the minute.
void check_refused(const http::Response& r) {
  INFO(r.body);
  REQUIRE(r.status == 429);
  CHECK(oauth_error(r) == "rate_limited");
  const auto description = std::string(bj::parse(r.body).at("error_description").as_string());
  CHECK(description.find("per client address") != std::string::npos);
  const std::string retry = header(r, "retry-after");
  REQUIRE_FALSE(retry.empty());
  CHECK(std::stoi(retry) >= 1);
  CHECK(std::stoi(retry) <= 60);
}

/// SQLite's EXPLAIN QUERY PLAN details of `sql`, one per line.
std::string query_plan(host::HostRunner& host, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(host.db(), ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt,
                             nullptr) == SQLITE_OK);
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    plan += "\n";
  }
  sqlite3_finalize(stmt);
  return plan;
}

const std::string kClient =
    R"({"client_name":"Limited","redirect_uris":["http://127.0.0.1:7777/callback"]})";

}  // namespace

TEST_CASE("oauth/rate limit: registration is limited per client address", "[oauth][host]") {
  auto host = make_runner_with({{"RATE_LIMIT_OAUTH_REGISTER_PER_IP", "2"}});
  CHECK(register_from(host, "198.51.100.7", kClient).status == 201);
  // A malformed registration counts too: it is refused on its own terms first.
  CHECK(register_from(host, "198.51.100.7", "not json").status == 400);
  check_refused(register_from(host, "198.51.100.7", kClient));
  CHECK(count(host, "oauth_clients") == 1);
  // Another address has its own count.
  CHECK(register_from(host, "198.51.100.8", kClient).status == 201);
  // An IPv6 /64 is one address: two in it use it up, a third anywhere in it is refused.
  CHECK(register_from(host, "2001:db8:1:2::1", kClient).status == 201);
  CHECK(register_from(host, "2001:db8:1:2:ffff::9", kClient).status == 201);
  check_refused(register_from(host, "2001:db8:1:2::abcd", kClient));
  CHECK(register_from(host, "2001:db8:1:3::1", kClient).status == 201);
  CHECK(count(host, "oauth_clients") == 5);
}

TEST_CASE("oauth/rate limit: token and revocation requests share one count per address",
          "[oauth][host]") {
  auto host = make_runner_with({{"RATE_LIMIT_OAUTH_TOKEN_PER_IP", "3"}});
  const std::string ip = "203.0.113.20";
  const std::string bogus_refresh = "grant_type=refresh_token&refresh_token=vk_rt_nope&client_id=x";
  CHECK(form_post_from(host, ip, "/oauth/token", bogus_refresh).status == 400);
  CHECK(form_post_from(host, ip, "/oauth/revoke", "token=vk_at_nope").status == 200);
  CHECK(form_post_from(host, ip, "/oauth/token", "").status == 400);
  check_refused(form_post_from(host, ip, "/oauth/token", bogus_refresh));
  check_refused(form_post_from(host, ip, "/oauth/revoke", "token=vk_at_nope"));
  // Another address is unaffected and gets the ordinary answer.
  auto other = form_post_from(host, "203.0.113.21", "/oauth/token", bogus_refresh);
  CHECK(other.status == 400);
  CHECK(oauth_error(other) == "invalid_grant");
}

TEST_CASE("oauth/rate limit: the default limits let a whole connection through", "[oauth][host]") {
  SignedIn s;
  // Registration, consent, code exchange, refresh and revocation: well under 30 and 300.
  auto c = connect(s.host, s.browser);
  auto refreshed = tokens_of(refresh(s.host, c.client_id, c.tokens.refresh));
  CHECK(revoke(s.host, refreshed.refresh).status == 200);
  CHECK(count(s.host, "rate_limits", "bucket LIKE 'oauth_register:ip:%'") == 1);
  CHECK(count(s.host, "rate_limits", "bucket = 'oauth_token:ip:127.0.0.1'") == 1);
}

TEST_CASE("rate limit: each count purges every older window, whatever its bucket",
          "[oauth][ratelimit][host]") {
  auto host = make_runner_with({});
  exec_sql(host,
           "INSERT INTO rate_limits (bucket, window_start, count) VALUES "
           "('oauth_register:ip:192.0.2.1', 60000, 3), ('reveal:user:usr_gone', 120000, 9), "
           "('proxy:token:tok_gone', 180000, 1)");
  CHECK(register_from(host, "198.51.100.9", kClient).status == 201);
  CHECK(count(host, "rate_limits") == 1);
  CHECK(count(host, "rate_limits", "bucket = 'oauth_register:ip:198.51.100.9'") == 1);
  // The purge reads the window index, not the whole table.
  CHECK(query_plan(host, "DELETE FROM rate_limits WHERE window_start < 1")
            .find("rate_limits_by_window") != std::string::npos);
}
