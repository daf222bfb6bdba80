// /v1/devices list, revoke and register, and /v1/auth/me.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/unit/host/auth_support.hpp"
#include "tests/unit/host/fixture.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {
const std::regex kIso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
}

TEST_CASE("devices list: the caller's devices, current flag, ISO 8601 times", "[auth][devices]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("pat@example.com");
  auto one = register_device(host, b, "alpha");
  auto two = register_device(host, b, "beta");
  Browser other(host);
  other.dev_sign_in("quinn@example.com");
  auto foreign = register_device(host, other, "gamma");

  auto r = get_bearer(host, "/v1/devices", one.token);
  REQUIRE(r.status == 200);
  auto devices = body_json(r).at("devices").as_array();
  REQUIRE(devices.size() == 2);
  int current = 0;
  for (const auto& v : devices) {
    const auto& d = v.as_object();
    CHECK(d.at("id") != bj::value(foreign.device_id));
    CHECK(d.at("platform") == "linux");
    CHECK(d.at("platform_version") == "6.1.0-13-amd64");
    CHECK(std::regex_match(std::string(d.at("created_at").as_string()), kIso));
    CHECK(std::regex_match(std::string(d.at("last_used_at").as_string()), kIso));
    if (d.at("current").as_bool()) {
      ++current;
      CHECK(d.at("id") == bj::value(one.device_id));
      CHECK(d.at("name") == "alpha · linux");
    }
  }
  CHECK(current == 1);
  // A browser session sees the same devices, none of them "current".
  auto via_session = b.get("/v1/devices");
  REQUIRE(via_session.status == 200);
  const auto session_list = body_json(via_session);
  for (const auto& v : session_list.at("devices").as_array()) {
    CHECK(v.at("current") == false);
  }
}

TEST_CASE("revoking a device makes its token fail on the next request", "[auth][devices]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("rae@example.com");
  auto keep = register_device(host, b, "keep");
  auto lose = register_device(host, b, "lose");
  CHECK(get_bearer(host, "/v1/auth/me", lose.token).status == 200);

  // The CLI POSTs with a JSON content type and no body.
  auto r = post_json(host, "/v1/devices/" + lose.device_id + "/revoke", "", keep.token);
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("revoked") == true);
  auto denied = get_bearer(host, "/v1/auth/me", lose.token);
  CHECK(denied.status == 401);
  CHECK(body_json(denied).at("error").is_string());
  CHECK_FALSE(header(denied, "www-authenticate").empty());
  CHECK(get_bearer(host, "/v1/devices", lose.token).status == 401);
  CHECK(get_bearer(host, "/v1/auth/me", keep.token).status == 200);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM master_tokens") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM devices WHERE revoked_at IS NOT NULL") == 1);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.revoke'") == 1);
  auto list = body_json(get_bearer(host, "/v1/devices", keep.token)).at("devices").as_array();
  CHECK(list.size() == 1);
  // Again: 404, and no second audit row.
  CHECK(post_json(host, "/v1/devices/" + lose.device_id + "/revoke", "", keep.token).status == 404);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.revoke'") == 1);
  // A device may revoke itself.
  CHECK(post_json(host, "/v1/devices/" + keep.device_id + "/revoke", "{}", keep.token).status ==
        200);
  CHECK(get_bearer(host, "/v1/auth/me", keep.token).status == 401);
}

TEST_CASE("revoking an unknown or another user's device is 404 and changes nothing",
          "[auth][devices]") {
  auto host = make_runner();
  Browser b(host), other(host);
  b.dev_sign_in("sam@example.com");
  other.dev_sign_in("tess@example.com");
  auto mine = register_device(host, b, "mine");
  auto theirs = register_device(host, other, "theirs");
  CHECK(post_json(host, "/v1/devices/" + theirs.device_id + "/revoke", "", mine.token).status ==
        404);
  CHECK(post_json(host, "/v1/devices/dev_nope/revoke", "", mine.token).status == 404);
  CHECK(get_bearer(host, "/v1/auth/me", theirs.token).status == 200);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM master_tokens") == 2);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.revoke'") == 0);
  // No credentials at all: 401.
  CHECK(post_json(host, "/v1/devices/" + mine.device_id + "/revoke", "").status == 401);
}

TEST_CASE("devices/register renames the caller's device and records its fingerprint",
          "[auth][devices]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("uma@example.com");
  auto d = register_device(host, b, "host");
  auto r = post_json(host, "/v1/devices/register",
                     R"({"name":"build server · linux","fingerprint":"ab12"})", d.token);
  REQUIRE(r.status == 200);
  CHECK(sql_text(host, "SELECT name || '|' || fingerprint FROM devices") ==
        "build server · linux|ab12");
  CHECK(sql_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.register'") == 1);
  CHECK(post_json(host, "/v1/devices/register", "{oops", d.token).status == 400);
  CHECK(post_json(host, "/v1/devices/register", R"({"fingerprint":"x"})", d.token).status == 400);
  CHECK(
      post_json(host, "/v1/devices/register", R"({"name":"x","fingerprint":1})", d.token).status ==
      400);
  // A browser session has no device to register.
  auto s = b.fetch("POST", "/v1/devices/register", R"({"name":"x"})");
  CHECK(s.status == 400);
}

TEST_CASE("a browser session may revoke devices only from a same-origin page",
          "[auth][devices][csrf]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("vic@example.com");
  auto d = register_device(host, b, "laptop");
  const std::string path = "/v1/devices/" + d.device_id + "/revoke";
  CHECK(b.post(path, "", {{"origin", "https://evil.example"}}).status == 403);
  CHECK(b.post(path, "", {}).status == 403);
  CHECK(b.post(path, "", {{"sec-fetch-site", "cross-site"}}).status == 403);
  CHECK(b.post("/v1/devices/register", R"({"name":"x"})", {{"origin", "null"}}).status == 403);
  CHECK(get_bearer(host, "/v1/auth/me", d.token).status == 200);
  CHECK(b.fetch("POST", path).status == 200);
  CHECK(get_bearer(host, "/v1/auth/me", d.token).status == 401);
}

TEST_CASE("/v1/auth/me needs a valid master token", "[auth][devices]") {
  auto host = make_runner();
  CHECK(host.request("GET", "http://127.0.0.1/v1/auth/me").status == 401);
  CHECK(get_bearer(host, "/v1/auth/me", "vk_master_forged").status == 401);
  CHECK(get_bearer(host, "/v1/auth/me", "garbage").status == 401);
  auto r =
      host.request("GET", "http://127.0.0.1/v1/auth/me", "", {{"authorization", "Basic eDp5"}});
  CHECK(r.status == 401);
  CHECK(body_json(r).at("error").is_string());
}

TEST_CASE("a browser session may change keys only from a same-origin page", "[auth][csrf]") {
  auto host = make_runner();
  Browser b(host);
  b.dev_sign_in("wendy@example.com");
  const std::string body =
      R"({"name":"SESSION_KEY","provider":"openai","credential_type":"api_key","key":"sk-test-x"})";
  CHECK(b.post("/v1/keys", body, {{"origin", "https://evil.example"}}).status == 403);
  CHECK(b.post("/v1/keys", body, {}).status == 403);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM keys") == 0);
  CHECK(b.fetch("POST", "/v1/keys", body).status == 201);
}
