// Routing, error mapping and the Driver, through the host runner.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"

using ve::test::body_json;
using ve::test::make_runner;

TEST_CASE("healthz answers without I/O", "[app]") {
  auto host = make_runner();
  auto r = host.request("GET", "http://127.0.0.1/healthz");
  CHECK(r.status == 200);
  CHECK(body_json(r).at("status") == "ok");
  CHECK(host.live_tasks() == 0);
}

TEST_CASE("unknown route and wrong method get JSON errors in the CLI's shape", "[app]") {
  auto host = make_runner();
  auto r = host.request("GET", "http://127.0.0.1/nope");
  CHECK(r.status == 404);
  CHECK(body_json(r).at("error").is_string());
  auto m = host.request("DELETE", "http://127.0.0.1/healthz");
  CHECK(m.status == 405);
}

TEST_CASE("the site root is the dashboard's (static assets), not a core route", "[app]") {
  // wrangler.toml [assets] serves / before the Worker; a request that still
  // reaches the core (a non-navigation fetch) gets the JSON 404 of any path.
  auto host = make_runner();
  auto r = host.request("GET", "http://127.0.0.1/");
  CHECK(r.status == 404);
  CHECK(body_json(r).at("error").is_string());
}
