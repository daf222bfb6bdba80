// GET /v1/activity/stats: UTC day buckets (a row a millisecond before midnight
// and one at midnight land on different days), the counted categories, the
// by_key and by_app views, the window edges, bad input and tenant isolation.
#include <catch2/catch.hpp>
#include <string>

#include "tests/unit/host/activity_support.hpp"
#include "worker/util/time.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {

const bj::object* find_by(const bj::array& list, const char* field, const std::string& value) {
  for (const auto& e : list) {
    if (e.at(field).is_string() && e.at(field).as_string() == value) return &e.as_object();
  }
  return nullptr;
}

bj::array series(std::initializer_list<std::int64_t> v) {
  return bj::array(v.begin(), v.end());
}

}  // namespace

TEST_CASE("activity stats: UTC days, categories, by key and by app", "[activity][stats]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto bob = add_user(host, "bob@example.com");
  clear_audit(host);
  const std::int64_t now = ve::util::now_ms();
  const std::int64_t midnight = now - now % ve::util::kMsPerDay;  // today 00:00Z
  const std::int64_t yesterday = midnight - 1;                    // 23:59:59.999 the day before
  const std::string cli = "apilocker-cli";

  const auto seed = [&](const AuditSeed& s) { seed_audit(host, alice.user_id, s); };
  // Key A from the CLI (device dev_1): its rows differ only in time, action and status.
  const auto seed_cli_a = [&](std::int64_t at, const char* action, int status = 200) {
    seed({.created_at = at,
          .actor_id = "dev_1",
          .action = action,
          .key_id = "key_a",
          .key_name = "A",
          .client = cli,
          .status = status});
  };
  // Key A, from the CLI: a reveal either side of midnight, a proxy today, a
  // denied proxy (paused) yesterday, a rotation (not counted).
  seed_cli_a(yesterday, "key.reveal");
  seed_cli_a(midnight, "key.reveal");
  seed_cli_a(midnight + 5, "key.proxy");
  seed_cli_a(yesterday - 5, "key.proxy", 423);
  seed_cli_a(midnight + 6, "key.rotate");
  // An OAuth app: two tool calls today (one refused), a reveal of key B.
  const std::string app = "https://claude.example/oauth/client.json";
  seed({.created_at = midnight + 7,
        .actor_kind = "oauth",
        .actor_id = app,
        .action = "mcp.tool_call",
        .key_id = "key_b",
        .key_name = "B",
        .token_id = "g1",
        .client = "Claude",
        .detail = "reveal_key"});
  seed({.created_at = midnight + 8,
        .actor_kind = "oauth",
        .actor_id = app,
        .action = "key.reveal",
        .key_id = "key_b",
        .key_name = "B",
        .token_id = "g1",
        .client = "Claude"});
  seed({.created_at = midnight + 9,
        .actor_kind = "oauth",
        .actor_id = app,
        .action = "mcp.tool_call",
        .token_id = "g1",
        .client = "Claude",
        .status = 403});
  // Outside the 2-day window: the day before yesterday.
  seed_cli_a(midnight - ve::util::kMsPerDay - 1, "key.reveal");
  // Bob's reveal of a key of his: never in Alice's numbers.
  seed_audit(host, bob.user_id,
             {.created_at = midnight + 1,
              .action = "key.reveal",
              .key_id = "key_bob",
              .key_name = "BOB",
              .client = cli});

  auto r = call(host, alice, "GET", "/v1/activity/stats?days=2");
  INFO(r.body);
  REQUIRE(r.status == 200);
  const auto body = body_json(r);
  CHECK(str(body.at("from")) == ve::util::iso8601(midnight - ve::util::kMsPerDay));
  CHECK(str(body.at("to")) == ve::util::iso8601(midnight + ve::util::kMsPerDay));
  CHECK(body.at("days") == bj::array{bj::string(ve::util::iso8601(yesterday).substr(0, 10)),
                                     bj::string(ve::util::iso8601(midnight).substr(0, 10))});

  const auto& by_key = body.at("by_key").as_array();
  REQUIRE(by_key.size() == 2);
  CHECK(by_key[0].at("key_id") == "key_a");  // the busiest first
  const auto* a = find_by(by_key, "key_id", "key_a");
  REQUIRE(a != nullptr);
  CHECK(a->at("key_name") == "A");
  CHECK(a->at("reveals") == series({1, 1}));
  CHECK(a->at("proxy") == series({0, 1}));
  CHECK(a->at("denials") == series({1, 0}));
  const auto* b = find_by(by_key, "key_id", "key_b");
  REQUIRE(b != nullptr);
  CHECK(b->at("reveals") == series({0, 1}));
  CHECK(find_by(by_key, "key_id", "key_bob") == nullptr);

  const auto& by_app = body.at("by_app").as_array();
  REQUIRE(by_app.size() == 2);
  const auto* claude = find_by(by_app, "client_id", app);
  REQUIRE(claude != nullptr);
  CHECK(claude->at("client") == "Claude");
  CHECK(claude->at("reveals") == series({0, 1}));
  CHECK(claude->at("tool_calls") == series({0, 2}));
  CHECK(claude->at("denials") == series({0, 1}));
  const auto* cli_app = find_by(by_app, "client", cli);
  REQUIRE(cli_app != nullptr);
  CHECK(cli_app->at("client_id").is_null());
  CHECK(cli_app->at("reveals") == series({1, 1}));  // Bob's and the out-of-window one left out
  CHECK(cli_app->at("proxy") == series({0, 1}));
  CHECK(cli_app->at("denials") == series({1, 0}));
  CHECK(cli_app->at("tool_calls") == series({0, 0}));

  // Default 30 days, the old row included now.
  auto wide = body_json(call(host, alice, "GET", "/v1/activity/stats"));
  CHECK(wide.at("days").as_array().size() == 30);
  const auto* a30 = find_by(wide.at("by_key").as_array(), "key_id", "key_a");
  REQUIRE(a30 != nullptr);
  CHECK(a30->at("reveals").as_array()[27] == 1);
  CHECK(a30->at("reveals").as_array()[28] == 1);
  CHECK(a30->at("reveals").as_array()[29] == 1);
}

TEST_CASE("activity stats: bad days", "[activity][stats][bad-input]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  for (const char* q : {"?days=0", "?days=91", "?days=x", "?days=", "?days=-3"}) {
    INFO(q);
    auto r = call(host, alice, "GET", std::string("/v1/activity/stats") + q);
    CHECK(r.status == 400);
    CHECK(std::string(body_json(r).at("error").as_string()).find("'days'") != std::string::npos);
  }
  CHECK(call(host, alice, "GET", "/v1/activity/stats?days=90").status == 200);
  CHECK(call(host, alice, "GET", "/v1/activity/stats?days=1").status == 200);
}
