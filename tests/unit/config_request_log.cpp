// LOG_REQUESTS parsing and the per-status decision (worker/config/config.hpp
// RequestLog). Runs on the host and inside wasm.
#include <catch2/catch.hpp>

#include "worker/config/config.hpp"

using namespace ve;

namespace {

constexpr const char* kKeys = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

Result<config::Config> with(std::map<std::string, std::string> vars) {
  vars["VAULT_KEYS"] = kKeys;
  return config::Config::from_vars(std::move(vars));
}

}  // namespace

TEST_CASE("LOG_REQUESTS defaults: failures only in development, every request otherwise",
          "[config]") {
  auto dev = with({{"ENVIRONMENT", "development"}});
  REQUIRE(dev.ok());
  CHECK(dev.value().request_log.mode == config::RequestLog::Mode::errors);
  CHECK_FALSE(dev.value().request_log.wants(200));
  CHECK_FALSE(dev.value().request_log.wants(302));
  CHECK(dev.value().request_log.wants(404));
  CHECK(dev.value().request_log.wants(503));

  auto prod = with({});
  REQUIRE(prod.ok());
  CHECK(prod.value().request_log.mode == config::RequestLog::Mode::all);
  CHECK(prod.value().request_log.wants(200));
}

TEST_CASE("LOG_REQUESTS values", "[config]") {
  auto off = with({{"LOG_REQUESTS", "off"}});
  REQUIRE(off.ok());
  CHECK_FALSE(off.value().request_log.wants(500));

  auto all = with({{"ENVIRONMENT", "development"}, {"LOG_REQUESTS", "all"}});
  REQUIRE(all.ok());
  CHECK(all.value().request_log.wants(200));

  auto sample = with({{"LOG_REQUESTS", "sample:1000000"}});
  REQUIRE(sample.ok());
  CHECK(sample.value().request_log.mode == config::RequestLog::Mode::sample);
  CHECK(sample.value().request_log.one_in == 1000000);
  CHECK(sample.value().request_log.wants(400));  // every failure
  int logged = 0;
  for (int i = 0; i < 50; ++i) logged += sample.value().request_log.wants(200) ? 1 : 0;
  CHECK(logged <= 1);  // one in a million, 50 draws

  auto every = with({{"LOG_REQUESTS", "sample:1"}});
  REQUIRE(every.ok());
  CHECK(every.value().request_log.wants(200));
}

TEST_CASE("a LOG_REQUESTS value we do not know is a misconfiguration naming it", "[config]") {
  for (const char* bad :
       {"verbose", "sample:", "sample:0", "sample:-3", "sample:1000001", "sample:12x", "ALL"}) {
    auto c = with({{"LOG_REQUESTS", bad}});
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().code == "misconfigured");
    CHECK(c.error().message.find("LOG_REQUESTS") != std::string::npos);
  }
}
