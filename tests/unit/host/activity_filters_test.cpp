// GET /v1/activity filters and cursors through the real router on SQLite:
// each filter alone and combined, since/before paging, latest_id/next_before,
// bad values (400 naming the parameter) and tenant isolation.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/host/activity_support.hpp"

using namespace ve::test;
namespace bj = boost::json;
using Ids = std::vector<std::int64_t>;

namespace {

constexpr std::int64_t kT0 = 1'800'000'000'000;  // 2027-01-15T08:00:00Z
constexpr std::int64_t kHour = 3'600'000;

/// Alice's rows, one per kind of actor and outcome, an hour apart; Bob has a
/// row like each of them (same actor ids), which must never show up.
struct Seeded {
  ve::host::HostRunner host = make_runner();
  VaultUser alice = add_user(host, "alice@example.com");
  VaultUser bob = add_user(host, "bob@example.com");
  std::int64_t reveal = 0, proxy_paused = 0, oauth_tool = 0, oauth_denied = 0, scoped = 0,
               session_rotate = 0, error_500 = 0;

  Seeded() {
    clear_audit(host);
    for (const VaultUser* u : {&alice, &bob}) {
      const bool a = u == &alice;
      std::int64_t t = kT0;
      auto seed = [&](AuditSeed s) {
        s.created_at = t;
        t += kHour;
        return seed_audit(host, u->user_id, s);
      };
      const auto r1 = seed({.actor_id = "dev_laptop",
                            .action = "key.reveal",
                            .key_id = "key_aaa111",
                            .key_name = "OPENAI",
                            .client = "apilocker-cli"});
      const auto r2 = seed({.actor_id = "dev_laptop",
                            .action = "key.proxy",
                            .key_id = "key_aaa111",
                            .key_name = "OPENAI",
                            .status = 423});
      const auto r3 = seed({.actor_kind = "oauth",
                            .actor_id = "https://app.example/cimd.json",
                            .action = "mcp.tool_call",
                            .key_id = "key_bbb222",
                            .key_name = "STRIPE",
                            .token_id = "grant-1",
                            .client = "Claude"});
      const auto r4 = seed({.actor_kind = "oauth",
                            .actor_id = "vc_registered",
                            .action = "mcp.tool_call",
                            .token_id = "grant-2",
                            .status = 403});
      const auto r5 = seed({.actor_kind = "scoped",
                            .actor_id = "tok_xyz",
                            .action = "key.proxy",
                            .key_id = "key_bbb222",
                            .token_id = "tok_xyz",
                            .status = 429});
      const auto r6 = seed(
          {.actor_kind = "session", .action = "key.rotate", .key_id = "key_aaa111", .status = 200});
      const auto r7 = seed({.actor_id = "dev_other", .action = "device.revoke", .status = 500});
      if (a) {
        reveal = r1, proxy_paused = r2, oauth_tool = r3, oauth_denied = r4, scoped = r5,
        session_rotate = r6, error_500 = r7;
      }
    }
  }
  Ids ids(const std::string& query) { return activity_ids(host, alice, "/v1/activity" + query); }
};

}  // namespace

TEST_CASE("activity filters: each one alone", "[activity][filters]") {
  Seeded s;
  CHECK(s.ids("") == Ids{s.error_500, s.session_rotate, s.scoped, s.oauth_denied, s.oauth_tool,
                         s.proxy_paused, s.reveal});
  CHECK(s.ids("?key_id=key_aaa111") == Ids{s.session_rotate, s.proxy_paused, s.reveal});
  CHECK(s.ids("?key_id=key_bbb") == Ids{s.scoped, s.oauth_tool});  // a short id
  CHECK(s.ids("?key_id=STRIPE") == Ids{s.oauth_tool});             // the name it had then
  CHECK(s.ids("?token_id=tok_x") == Ids{s.scoped});
  CHECK(s.ids("?device_id=dev_laptop") == Ids{s.proxy_paused, s.reveal});
  CHECK(s.ids("?device_id=dev_lap").empty());  // device ids are exact
  CHECK(s.ids("?client_id=https%3A%2F%2Fapp.example%2Fcimd.json") == Ids{s.oauth_tool});
  CHECK(s.ids("?client_id=vc_registered") == Ids{s.oauth_denied});
  CHECK(s.ids("?client_id=dev_laptop").empty());  // an actor id of another kind
  CHECK(s.ids("?grant_id=grant-2") == Ids{s.oauth_denied});
  CHECK(s.ids("?grant_id=tok_xyz").empty());  // a scoped token's id is not a grant
  CHECK(s.ids("?action=key.proxy") == Ids{s.scoped, s.proxy_paused});
  CHECK(s.ids("?action=key.") == Ids{s.session_rotate, s.scoped, s.proxy_paused, s.reveal});
  CHECK(s.ids("?action=key").empty());  // no dot: exact
  CHECK(s.ids("?status=ok") == Ids{s.session_rotate, s.oauth_tool, s.reveal});
  CHECK(s.ids("?status=denied") == Ids{s.scoped, s.oauth_denied, s.proxy_paused});
  CHECK(s.ids("?status=error") == Ids{s.error_500, s.scoped, s.oauth_denied, s.proxy_paused});
  CHECK(s.ids("?status=423") == Ids{s.proxy_paused});
  CHECK(s.ids("?actor_kind=oauth") == Ids{s.oauth_denied, s.oauth_tool});
  CHECK(s.ids("?actor_kind=session") == Ids{s.session_rotate});
  CHECK(s.ids("?actor_kind=system").empty());
  // from inclusive, to exclusive; a date means its UTC midnight.
  CHECK(s.ids("?from=2027-01-15T10:00:00Z") ==
        Ids{s.error_500, s.session_rotate, s.scoped, s.oauth_denied, s.oauth_tool});
  CHECK(s.ids("?to=2027-01-15T10:00:00.000Z") == Ids{s.proxy_paused, s.reveal});
  CHECK(s.ids("?from=2027-01-15&to=2027-01-16").size() == 7);
  CHECK(s.ids("?to=2027-01-15").empty());
}

TEST_CASE("activity filters: combinations narrow each other", "[activity][filters]") {
  Seeded s;
  CHECK(s.ids("?key_id=key_aaa111&status=denied") == Ids{s.proxy_paused});
  CHECK(s.ids("?action=key.&actor_kind=master") == Ids{s.proxy_paused, s.reveal});
  CHECK(s.ids("?client_id=vc_registered&status=ok").empty());
  CHECK(s.ids("?device_id=dev_laptop&from=2027-01-15T09:00:00Z") == Ids{s.proxy_paused});
  CHECK(s.ids("?action=mcp.tool_call&grant_id=grant-1&key_id=STRIPE") == Ids{s.oauth_tool});
  CHECK(s.ids("?status=error&limit=2") == Ids{s.error_500, s.scoped});
}

TEST_CASE("activity cursors: before pages older, since polls newer", "[activity][cursors]") {
  Seeded s;
  auto page = [&](const std::string& q) {
    auto r = call(s.host, s.alice, "GET", "/v1/activity" + q);
    REQUIRE(r.status == 200);
    return body_json(r).as_object();
  };
  // Pages of 3 with next_before, until null at the end.
  auto p1 = page("?limit=3");
  CHECK(p1.at("latest_id") == s.error_500);
  CHECK(p1.at("next_before") == s.scoped);
  auto p2 = page("?limit=3&before=" + std::to_string(p1.at("next_before").as_int64()));
  CHECK(p2.at("logs").as_array().size() == 3);
  CHECK(p2.at("next_before") == s.proxy_paused);
  auto p3 = page("?limit=3&before=" + std::to_string(s.proxy_paused));
  CHECK(p3.at("logs").as_array().size() == 1);
  CHECK(p3.at("next_before").is_null());
  // Exactly a page left: still null (no empty extra page).
  CHECK(page("?limit=7").at("next_before").is_null());

  // latest_id is the user's newest row even when the filter matches older ones
  // only, so a filtered poller skips nothing it cares about.
  auto filtered = page("?action=key.reveal");
  CHECK(filtered.at("latest_id") == s.error_500);
  CHECK(page("?since=" + std::to_string(s.error_500)).at("logs").as_array().empty());
  CHECK(s.ids("?since=" + std::to_string(s.oauth_denied)) ==
        Ids{s.error_500, s.session_rotate, s.scoped});
  CHECK(s.ids("?since=0").size() == 7);

  // A poller more than a page behind gets the OLDEST page after since (newest
  // first within it) and a latest_id that resumes right after it.
  auto behind = page("?since=" + std::to_string(s.reveal) + "&limit=2");
  const auto& logs = behind.at("logs").as_array();
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].at("id") == s.oauth_tool);
  CHECK(logs[1].at("id") == s.proxy_paused);
  CHECK(behind.at("latest_id") == s.oauth_tool);
  CHECK(behind.at("next_before").is_null());
  auto next = page("?since=" + std::to_string(behind.at("latest_id").as_int64()) + "&limit=10");
  CHECK(next.at("logs").as_array().size() == 4);
  CHECK(next.at("latest_id") == s.error_500);

  // since and before together: a window.
  CHECK(s.ids("?since=" + std::to_string(s.reveal) + "&before=" + std::to_string(s.oauth_denied)) ==
        Ids{s.oauth_tool, s.proxy_paused});

  // A user with no rows: latest_id 0, which is a valid since.
  auto carol = add_user(s.host, "carol@example.com");
  auto empty = call(s.host, carol, "GET", "/v1/activity");
  CHECK(body_json(empty).at("latest_id") == 0);
  CHECK(call(s.host, carol, "GET", "/v1/activity?since=0").status == 200);
}

TEST_CASE("activity filters: another user's rows never appear", "[activity][tenant]") {
  Seeded s;
  for (const char* q : {"", "?device_id=dev_laptop", "?client_id=vc_registered",
                        "?grant_id=grant-1", "?key_id=OPENAI", "?status=error", "?since=0",
                        "?action=key.", "?actor_kind=oauth", "?limit=500"}) {
    INFO(q);
    const Ids own = s.ids(q);
    CHECK_FALSE(own.empty());
    for (auto id : own) CHECK(id <= s.error_500);  // Alice's rows were seeded before Bob's
    for (auto id : activity_ids(s.host, s.bob, std::string("/v1/activity") + q)) {
      CHECK(id > s.error_500);
    }
  }
}

TEST_CASE("activity filters: bad values are 400 naming the parameter", "[activity][bad-input]") {
  Seeded s;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"?status=fine", "status"},
      {"?status=99", "status"},
      {"?status=600", "status"},
      {"?status=4000", "status"},
      {"?actor_kind=robot", "actor_kind"},
      {"?from=yesterday", "from"},
      {"?from=2027-01-15T10:00:00%2B01:00", "from"},
      {"?to=2027-13-01", "to"},
      {"?from=2027-01-16&to=2027-01-15", "from"},
      {"?from=2027-01-15&to=2027-01-15", "from"},
      {"?since=-1", "since"},
      {"?since=abc", "since"},
      {"?before=0", "before"},
      {"?device_id=", "device_id"},
      {"?client_id=" + std::string(129, 'c'), "client_id"},
      {"?grant_id=", "grant_id"},
      {"?action=", "action"},
      {"?limit=0", "limit"},
  };
  for (const auto& [q, name] : bad) {
    INFO(q);
    auto r = call(s.host, s.alice, "GET", "/v1/activity" + q);
    CHECK(r.status == 400);
    const auto body = body_json(r);
    CHECK(body.at("code") == "invalid_request");
    CHECK(std::string(body.at("error").as_string()).find("'" + name + "'") != std::string::npos);
  }
}
