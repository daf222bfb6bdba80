// The rate limits' pure parts (worker/ratelimit/limit.hpp): the
// counter key of a client address and the configured limits. Runs on the host
// and inside wasm.
#include <catch2/catch.hpp>

#include "worker/config/config.hpp"
#include "worker/ratelimit/limit.hpp"

using namespace ve;
using ratelimit::address_key;
using ratelimit::Endpoint;

TEST_CASE("ratelimit: an IPv4 address is its own key, in canonical form", "[ratelimit]") {
  CHECK(address_key("203.0.113.9") == "203.0.113.9");
  CHECK(address_key("::ffff:203.0.113.9") == "203.0.113.9");
  CHECK(address_key("::FFFF:cb00:7109") == "203.0.113.9");
}

TEST_CASE("ratelimit: an IPv6 address counts as its /64", "[ratelimit]") {
  CHECK(address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64");
  CHECK(address_key("2001:DB8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64");
  CHECK(address_key("2001:0db8:0001:0002:0:0:0:9") == "2001:db8:1:2::/64");
  CHECK(address_key("2001:db8:1:3::1") == "2001:db8:1:3::/64");
  CHECK(address_key("2001:db8::1") == "2001:db8::/64");
  CHECK(address_key("::1") == "::/64");
}

TEST_CASE("ratelimit: no address or a malformed one shares the key unknown", "[ratelimit]") {
  for (const char* ip :
       {"", "unknown", "not an address", "2001:db8::1::2", "1.2.3.4.5", "fe80::1%eth0",
        "[2001:db8::1]", "127.1", "0x7f.0.0.1", "1.2.3.4 ", "2001:db8:1:2::1\n"}) {
    INFO(ip);
    CHECK(address_key(ip) == "unknown");
  }
}

TEST_CASE("ratelimit: per-address limits default and follow their vars", "[ratelimit]") {
  config::Config c;
  CHECK(ratelimit::per_address_limit(c, Endpoint::registration) == 30);
  CHECK(ratelimit::per_address_limit(c, Endpoint::token) == 300);
  c.vars = {{"RATE_LIMIT_OAUTH_REGISTER_PER_IP", "5"}, {"RATE_LIMIT_OAUTH_TOKEN_PER_IP", "7"}};
  CHECK(ratelimit::per_address_limit(c, Endpoint::registration) == 5);
  CHECK(ratelimit::per_address_limit(c, Endpoint::token) == 7);
  for (const char* bad : {"0", "-3", "ten", "12abc", ""}) {
    INFO(bad);
    c.vars = {{"RATE_LIMIT_OAUTH_REGISTER_PER_IP", bad}};
    CHECK(ratelimit::per_address_limit(c, Endpoint::registration) == 30);
  }
}

TEST_CASE("ratelimit: client-metadata fetches and wrong device codes have their own limits",
          "[ratelimit]") {
  config::Config c;
  CHECK(ratelimit::per_address_limit(c, Endpoint::client_metadata) == 20);
  const auto d = ratelimit::failure_limits(c, ratelimit::Guess::device_user_code);
  CHECK(d.per_user == 5);
  CHECK(d.per_address == 20);
  c.vars = {{"RATE_LIMIT_OAUTH_CLIENT_METADATA_PER_IP", "4"},
            {"RATE_LIMIT_DEVICE_CODE_FAILURES_PER_USER", "2"},
            {"RATE_LIMIT_DEVICE_CODE_FAILURES_PER_IP", "9"}};
  CHECK(ratelimit::per_address_limit(c, Endpoint::client_metadata) == 4);
  const auto o = ratelimit::failure_limits(c, ratelimit::Guess::device_user_code);
  CHECK(o.per_user == 2);
  CHECK(o.per_address == 9);
  c.vars = {{"RATE_LIMIT_DEVICE_CODE_FAILURES_PER_USER", "0"}};
  CHECK(ratelimit::failure_limits(c, ratelimit::Guess::device_user_code).per_user == 5);
}
