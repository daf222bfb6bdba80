// run_doctor: the pure rules of worker/health/rules.hpp at their
// thresholds with a fixed clock, and the tool end to end on keys and devices
// whose timestamps are seeded directly in SQLite.
#include <catch2/catch.hpp>
#include <set>

#include "tests/unit/host/doctor_support.hpp"
#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/mcp_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/health/rules.hpp"
#include "worker/util/time.hpp"

using namespace ve::test;
namespace bj = boost::json;
namespace doctor = ve::health;

namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;  // a fixed "now" (2027-01-15)
constexpr std::int64_t kDay = doctor::kMsPerDay;

std::int64_t days_ago(std::int64_t d) {
  return kNow - d * kDay;
}

std::vector<std::string> kinds_for(const std::vector<doctor::Finding>& f, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& x : f) {
    if (x.id == id) out.push_back(x.kind);
  }
  return out;
}

}  // namespace

TEST_CASE("mcp doctor: ISO 8601 parsing round-trips util::iso8601", "[mcp][doctor]") {
  for (std::int64_t ms : {std::int64_t{0}, std::int64_t{951782400123}, kNow, kNow + 999,
                          std::int64_t{4102444799999}}) {
    CHECK(ve::util::parse_iso8601(ve::util::iso8601(ms)) == std::optional<std::int64_t>(ms));
  }
  CHECK(ve::util::parse_iso8601("2026-11-22T19:17:41Z") ==
        std::optional<std::int64_t>(ve::util::parse_iso8601("2026-11-22T19:17:41.000Z")));
  for (const char* bad :
       {"", "2026-11-22", "2026-13-01T00:00:00Z", "2026-11-22T19:17:41", "2026-11-22T19:17:41.Z",
        "2026-11-22 19:17:41Z", "x026-11-22T19:17:41Z"}) {
    INFO(bad);
    CHECK_FALSE(ve::util::parse_iso8601(bad).has_value());
  }
  CHECK(doctor::days_between(days_ago(90), kNow) == 90);
  CHECK(doctor::days_between(days_ago(90) + 1, kNow) == 89);
  CHECK(doctor::days_between(kNow + 5, kNow) == 0);
}

TEST_CASE("mcp doctor: rotation and unused and paused rules at their thresholds", "[mcp][doctor]") {
  const doctor::Thresholds t;
  REQUIRE(t.rotation_max_age_days == 90);
  REQUIRE(t.unused_after_days == 30);
  std::vector<doctor::KeyFacts> keys = {
      // created 90 days ago, never rotated, used yesterday → stale only
      {"k_stale", "STALE", days_ago(90), std::nullopt, std::nullopt, days_ago(1)},
      // created 200 days ago, rotated 89 days ago (+1 ms), used today → healthy
      {"k_fresh", "FRESH", days_ago(200), days_ago(89) + 1, std::nullopt, kNow},
      // rotated long ago but created recently? rotation wins over creation
      {"k_rot_old", "ROT_OLD", days_ago(400), days_ago(120), std::nullopt, days_ago(2)},
      // never used, stored 30 days ago → unused; stored 29 days ago → not
      {"k_unused", "UNUSED", days_ago(30), std::nullopt, std::nullopt, std::nullopt},
      {"k_new", "NEW", days_ago(29), std::nullopt, std::nullopt, std::nullopt},
      // last used 31 days ago → unused; paused 3 days ago → paused
      {"k_paused", "PAUSED", days_ago(10), std::nullopt, days_ago(3), days_ago(31)},
  };
  const auto f = doctor::key_findings(keys, kNow, t);
  CHECK(kinds_for(f, "k_stale") == std::vector<std::string>{"stale_rotation"});
  CHECK(kinds_for(f, "k_fresh").empty());
  CHECK(kinds_for(f, "k_rot_old") == std::vector<std::string>{"stale_rotation"});
  CHECK(kinds_for(f, "k_unused") == std::vector<std::string>{"unused"});
  CHECK(kinds_for(f, "k_new").empty());
  CHECK(kinds_for(f, "k_paused") == (std::vector<std::string>{"unused", "paused"}));
  for (const auto& x : f) {
    INFO(x.kind << " " << x.name);
    CHECK(x.subject == "key");
    CHECK_FALSE(x.detail.empty());
    CHECK_FALSE(x.action.empty());
    CHECK(x.severity == (x.kind == "stale_rotation" ? "warning" : "info"));
  }
  // A stricter caller-chosen threshold flags more.
  doctor::Thresholds strict;
  strict.rotation_max_age_days = 10;
  CHECK(kinds_for(doctor::key_findings(keys, kNow, strict), "k_paused") ==
        (std::vector<std::string>{"stale_rotation", "unused", "paused"}));
}

TEST_CASE("mcp doctor: idle devices and the report's summary and checks", "[mcp][doctor]") {
  const doctor::Thresholds t;
  std::vector<doctor::DeviceFacts> devices = {
      {"d_idle", "old laptop", days_ago(300), days_ago(60), false},
      {"d_busy", "laptop", days_ago(300), days_ago(59), true},
      {"d_never", "ci box", days_ago(61), std::nullopt, false},
  };
  const auto f = doctor::device_findings(devices, kNow, t);
  REQUIRE(f.size() == 2);
  CHECK(f[0].id == "d_idle");
  CHECK(f[1].id == "d_never");

  std::vector<doctor::KeyFacts> keys = {
      {"k1", "K1", days_ago(100), std::nullopt, std::nullopt, days_ago(1)}};
  bj::object r = doctor::report(keys, devices, {}, kNow, t);
  const auto& s = r.at("summary").as_object();
  CHECK(s.at("healthy") == false);
  CHECK(s.at("warnings") == 3);
  CHECK(s.at("notes") == 0);
  CHECK(s.at("by_kind").at("stale_rotation") == 1);
  CHECK(s.at("by_kind").at("idle_device") == 2);
  CHECK(r.at("findings").as_array().size() == 3);
  CHECK(r.at("findings").as_array()[0].at("key_id") == "k1");
  CHECK(r.at("findings").as_array()[1].at("device_id") == "d_idle");
  bool expiry_reported = false;
  for (const auto& c : r.at("checks").as_array()) {
    if (c.at("check") == "expiring_tokens") {
      expiry_reported = true;
      CHECK(c.at("status") == "ok");
    }
  }
  CHECK(expiry_reported);
  const bj::value schema = bj::parse(vault_tool("run_doctor").output_schema);
  CHECK(schema_violation(schema, r).empty());

  bj::object healthy = doctor::report({}, {}, {}, kNow, t);
  CHECK(healthy.at("summary").at("healthy") == true);
  CHECK(healthy.at("findings").as_array().empty());
}

TEST_CASE("mcp doctor: scoped tokens expiring, expired and unused, at the boundaries",
          "[mcp][doctor]") {
  const doctor::Thresholds t;
  constexpr std::int64_t kHour = 3'600'000;
  std::vector<doctor::TokenFacts> tokens = {
      // expires in 47 h 59 min: reported; in exactly 48 h: not.
      {"t_soon", "soon", "daily", days_ago(1), days_ago(0), std::nullopt,
       kNow + 48 * kHour - 60'000},
      {"t_later", "later", "weekly", days_ago(1), days_ago(0), std::nullopt, kNow + 48 * kHour},
      {"t_expired", "expired", "hourly", days_ago(2), days_ago(1), std::nullopt, kNow - 1},
      {"t_paused", "paused", "hourly", days_ago(2), days_ago(0), days_ago(0), kNow - 1},
      {"t_static", "static", "static", days_ago(29), std::nullopt, std::nullopt, std::nullopt},
      {"t_idle", "idle", "static", days_ago(40), days_ago(30), std::nullopt, std::nullopt},
  };
  const auto f = doctor::token_findings(tokens, kNow, t);
  REQUIRE(f.size() == 3);
  CHECK((f[0].id == "t_soon" && f[0].kind == "expiring_token" && f[0].severity == "info"));
  CHECK((f[1].id == "t_expired" && f[1].kind == "expiring_token" && f[1].severity == "warning"));
  CHECK((f[2].id == "t_idle" && f[2].kind == "unused_token" && f[2].age_days == 30));

  bj::object r = doctor::report({}, {}, tokens, kNow, t);
  CHECK(r.at("summary").at("tokens_checked") == 6);
  CHECK(r.at("summary").at("by_kind").at("expiring_token") == 2);
  CHECK(r.at("summary").at("by_kind").at("unused_token") == 1);
  CHECK(r.at("findings").as_array()[0].at("token_id") == "t_soon");
  const bj::value schema = bj::parse(vault_tool("run_doctor").output_schema);
  CHECK(schema_violation(schema, r).empty());
}

TEST_CASE("mcp doctor: run_doctor on seeded SQLite timestamps", "[mcp][doctor][tools]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  auto b = add_user(host, "b@example.com");
  const std::string stale = store_key(host, a, "STALE_KEY", "stale-value-1");
  const std::string fresh = store_key(host, a, "FRESH_KEY", "fresh-value-1");
  const std::string paused = store_key(host, a, "PAUSED_KEY", "paused-value-1");
  store_key(host, b, "B_OLD_KEY", "b-value-1");
  const std::int64_t now = ve::util::now_ms();
  set_days_ago(host, "keys", "id = '" + stale + "'", now,
               {{"created_at", 200}, {"rotated_at", 91}, {"last_used_at", 1}});
  set_days_ago(host, "keys", "id = '" + fresh + "'", now,
               {{"created_at", 200}, {"rotated_at", 5}, {"last_used_at", 2}});
  set_days_ago(host, "keys", "id = '" + paused + "'", now, {{"created_at", 45}, {"paused_at", 3}});
  set_days_ago(host, "keys", "user_id = '" + b.user_id + "'", now, {{"created_at", 500}});
  // (A's own device is marked used by the call itself: authentication bumps it.)
  add_device_days_ago(host, a.user_id, "dev_old", "old laptop", now, 100, 70);

  auto r = call_tool(host, a, "run_doctor");
  INFO(result_text(r));
  REQUIRE_FALSE(r.is_error);
  const bj::value schema = bj::parse(vault_tool("run_doctor").output_schema);
  CHECK(schema_violation(schema, *r.structured).empty());
  std::multiset<std::string> seen;
  for (const auto& f : r.structured->at("findings").as_array()) {
    const std::string who = f.at("subject") == "key" ? str(f.at("key_id")) : str(f.at("device_id"));
    seen.insert(who + ":" + str(f.at("kind")));
    CHECK(str(f.at("name")) != "B_OLD_KEY");
  }
  CHECK(seen == std::multiset<std::string>{stale + ":stale_rotation", paused + ":unused",
                                           paused + ":paused", "dev_old:idle_device"});
  CHECK(r.structured->at("summary").at("keys_checked") == 3);
  CHECK(r.structured->at("summary").at("devices_checked") == 2);

  // Caller thresholds: with 4 days, FRESH_KEY is stale too.
  auto strict = call_tool(host, a, "run_doctor", {{"rotation_max_age_days", 4}});
  REQUIRE_FALSE(strict.is_error);
  CHECK(strict.structured->at("summary").at("by_kind").at("stale_rotation") == 3);
  CHECK(strict.structured->at("summary").at("thresholds").at("rotation_max_age_days") == 4);

  // Out of range or not a whole number: refused by the input schema, naming the argument.
  for (const auto& [name, bad] : {std::pair{"device_idle_days", bj::value(0)},
                                  std::pair{"unused_after_days", bj::value(3651)},
                                  std::pair{"rotation_max_age_days", bj::value("7")}}) {
    INFO(name);
    auto refused = call_tool(host, a, "run_doctor", {{name, bad}});
    REQUIRE(refused.is_error);
    INFO(result_text(refused));
    CHECK(result_text(refused).find(std::string("argument `") + name + "`") != std::string::npos);
  }
}

TEST_CASE("mcp doctor: read_thresholds keeps defaults, takes given days, names a bad one",
          "[mcp][doctor][bad-input]") {
  using In = doctor::ThresholdInput;
  auto none = doctor::read_thresholds("query", [](std::string_view) { return In{}; });
  REQUIRE(none.ok());
  CHECK(none.value().rotation_max_age_days == doctor::kRotationMaxAgeDays);
  CHECK(none.value().unused_after_days == doctor::kUnusedAfterDays);
  CHECK(none.value().device_idle_days == doctor::kDeviceIdleDays);

  auto some = doctor::read_thresholds("query", [](std::string_view name) {
    return name == "unused_after_days" ? In{true, 3650} : In{};
  });
  REQUIRE(some.ok());
  CHECK(some.value().unused_after_days == 3650);
  CHECK(some.value().device_idle_days == doctor::kDeviceIdleDays);

  for (const auto& bad : {In{true, 0}, In{true, 3651}, In{true, std::nullopt}}) {
    auto r = doctor::read_thresholds("argument", [&](std::string_view name) {
      return name == "device_idle_days" ? bad : In{true, 1};
    });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    CHECK(r.error().message ==
          "argument 'device_idle_days' must be a whole number of days from 1 to 3650");
  }
}
