// GET /v1/doctor through the real router on SQLite: the report of
// worker/health/report.hpp with a `fix` per finding whose REST call really
// fixes it, the same findings as the MCP run_doctor tool, thresholds, bad
// input, access and tenant isolation.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "tests/unit/host/doctor_support.hpp"
#include "tests/unit/host/mcp_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/util/time.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {

bj::object doctor(ve::host::HostRunner& host, const VaultUser& u, const std::string& q = "") {
  auto r = call(host, u, "GET", "/v1/doctor" + q);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return body_json(r).as_object();
}

/// "subject id:kind" → the finding's fix, for every finding.
std::map<std::string, bj::object> fixes_of(const bj::object& report) {
  std::map<std::string, bj::object> out;
  for (const auto& f : report.at("findings").as_array()) {
    const auto& o = f.as_object();
    const char* id_field = o.at("subject") == "key"      ? "key_id"
                           : o.at("subject") == "device" ? "device_id"
                                                         : "token_id";
    out[str(o.at(id_field)) + ":" + str(o.at("kind"))] = o.at("fix").as_object();
  }
  return out;
}

/// A user with one finding of each fixable kind (seeded timestamps).
struct Unhealthy {
  ve::host::HostRunner host = make_runner();
  VaultUser alice = add_user(host, "alice@example.com");
  VaultUser bob = add_user(host, "bob@example.com");
  std::string stale, unused, paused, token;
  Unhealthy() {
    stale = store_key(host, alice, "STALE", "stale-value-1");
    unused = store_key(host, alice, "UNUSED", "unused-value-1");
    paused = store_key(host, alice, "PAUSED", "paused-value-1");
    store_key(host, bob, "BOB_OLD", "bob-value-1");
    const std::int64_t now = ve::util::now_ms();
    set_days_ago(host, "keys", "id = '" + stale + "'", now,
                 {{"created_at", 200}, {"last_used_at", 1}});
    set_days_ago(host, "keys", "id = '" + unused + "'", now, {{"created_at", 40}});
    set_days_ago(host, "keys", "id = '" + paused + "'", now,
                 {{"paused_at", 2}, {"last_used_at", 1}});
    set_days_ago(host, "keys", "user_id = '" + bob.user_id + "'", now, {{"created_at", 500}});
    add_device_days_ago(host, alice.user_id, "dev_old", "old laptop", now, 100, 70);
    auto t = call(
        host, alice, "POST", "/v1/tokens",
        bj::value{
            {"name", "ci"}, {"allowed_keys", bj::array{"STALE"}}, {"rotation_type", "static"}});
    REQUIRE(t.status == 201);
    token = str(body_json(t).at("id"));
    set_days_ago(host, "scoped_tokens", "id = '" + token + "'", now, {{"created_at", 31}});
  }
};

}  // namespace

TEST_CASE("health doctor: each finding names the REST call that fixes it", "[health][doctor]") {
  Unhealthy u;
  const auto report = doctor(u.host, u.alice);
  const auto fixes = fixes_of(report);
  using Fix = std::tuple<std::string, std::string, std::string>;
  const auto fix = [&](const std::string& key) {
    INFO(key);
    REQUIRE(fixes.count(key) == 1);
    const auto& f = fixes.at(key);
    return Fix{str(f.at("action")), str(f.at("method")), str(f.at("path"))};
  };
  CHECK(fixes.size() == 5);
  CHECK(fix(u.stale + ":stale_rotation") ==
        Fix{"rotate", "POST", "/v1/keys/" + u.stale + "/rotate"});
  CHECK(fix(u.unused + ":unused") == Fix{"delete", "DELETE", "/v1/keys/" + u.unused});
  CHECK(fix(u.paused + ":paused") == Fix{"resume", "POST", "/v1/keys/" + u.paused + "/resume"});
  CHECK(fix("dev_old:idle_device") == Fix{"revoke_device", "POST", "/v1/devices/dev_old/revoke"});
  CHECK(fix(u.token + ":unused_token") == Fix{"revoke_token", "DELETE", "/v1/tokens/" + u.token});
  for (const auto& f : report.at("findings").as_array()) CHECK(str(f.at("name")) != "BOB_OLD");

  // Following each fix clears its finding.
  for (const auto& [key, f] : fixes) {
    INFO(key);
    const std::string body =
        f.at("action") == "rotate" ? R"({"key":"rotated-value-2"})" : std::string();
    auto r = call(u.host, u.alice, str(f.at("method")), str(f.at("path")), body);
    CHECK(r.status == 200);
  }
  const auto after = doctor(u.host, u.alice);
  CHECK(after.at("findings").as_array().empty());
  CHECK(after.at("summary").at("healthy") == true);
}

TEST_CASE("health doctor: the same report as run_doctor, plus fix", "[health][doctor][mcp]") {
  Unhealthy u;
  auto tool = call_tool(u.host, u.alice, "run_doctor", {{"unused_after_days", 5}});
  REQUIRE_FALSE(tool.is_error);
  auto rest = doctor(u.host, u.alice, "?unused_after_days=5");
  REQUIRE(rest.at("summary").at("thresholds").at("unused_after_days") == 5);
  for (auto& f : rest.at("findings").as_array()) {
    CHECK(f.as_object().erase("fix") == 1);
  }
  // The device of each call is "this connection's" and both calls bump it;
  // everything else must match exactly.
  CHECK(bj::serialize(rest) == bj::serialize(*tool.structured));
  CHECK(tool.structured->at("findings").as_array().at(0).as_object().if_contains("fix") == nullptr);
}

TEST_CASE("health doctor: thresholds, bad input and access", "[health][doctor][bad-input]") {
  Unhealthy u;
  auto strict = doctor(u.host, u.alice, "?rotation_max_age_days=1&device_idle_days=1");
  CHECK(strict.at("summary").at("by_kind").at("stale_rotation") == 2);  // PAUSED is 0 days old
  CHECK(strict.at("summary").at("thresholds").at("device_idle_days") == 1);
  for (const char* q : {"?rotation_max_age_days=0", "?unused_after_days=3651",
                        "?device_idle_days=x", "?device_idle_days="}) {
    INFO(q);
    auto r = call(u.host, u.alice, "GET", std::string("/v1/doctor") + q);
    CHECK(r.status == 400);
    const std::string name = std::string(q).substr(1, std::string(q).find('=') - 1);
    CHECK(std::string(body_json(r).at("error").as_string()).find("'" + name + "'") !=
          std::string::npos);
  }
  CHECK(u.host.request("GET", "http://127.0.0.1/v1/doctor").status == 401);
  // A scoped token is not a full-access principal.
  auto t = call(
      u.host, u.alice, "POST", "/v1/tokens",
      bj::value{{"name", "x"}, {"allowed_keys", bj::array{"STALE"}}, {"rotation_type", "static"}});
  REQUIRE(t.status == 201);
  VaultUser scoped = u.alice;
  scoped.token = str(body_json(t).at("token"));
  CHECK(call(u.host, scoped, "GET", "/v1/doctor").status == 403);
}
