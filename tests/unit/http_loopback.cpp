// ve::http::is_loopback_authority: the loopback test shared by the vault's
// base_url policy and the MCP endpoint's DNS-rebinding check.
#include <catch2/catch.hpp>

#include "worker/http/message.hpp"

using ve::http::is_loopback_authority;

TEST_CASE("http/is_loopback_authority: loopback names, with or without a port", "[http]") {
  CHECK(is_loopback_authority("localhost"));
  CHECK(is_loopback_authority("localhost:8787"));
  CHECK(is_loopback_authority("127.0.0.1"));
  CHECK(is_loopback_authority("127.0.0.1:43829"));
  CHECK(is_loopback_authority("[::1]"));
  CHECK(is_loopback_authority("[::1]:8787"));
}

TEST_CASE("http/is_loopback_authority: anything else is not loopback", "[http]") {
  CHECK_FALSE(is_loopback_authority(""));
  CHECK_FALSE(is_loopback_authority("evil.example.com"));
  CHECK_FALSE(is_loopback_authority("evil.example.com:8787"));
  CHECK_FALSE(is_loopback_authority("localhost.evil.example"));
  CHECK_FALSE(is_loopback_authority("127.0.0.1.evil.example"));
  CHECK_FALSE(is_loopback_authority("[::2]:8787"));
  CHECK_FALSE(is_loopback_authority("10.0.0.1"));
}
