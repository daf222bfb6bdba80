// GET /v1/activity/export: CSV (RFC 4180 quoting, formula-injection prefix,
// header row, CRLF) and JSON lines, oldest first, the filters, the attachment
// headers, the 10 000-row cap and tenant isolation.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/host/activity_support.hpp"
#include "worker/vault/activity_csv.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {

constexpr std::int64_t kT0 = 1'800'000'000'000;  // 2027-01-15T08:00:00Z

std::vector<std::string> lines_of(const std::string& body, const std::string& eol) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < body.size()) {
    const auto end = body.find(eol, at);
    REQUIRE(end != std::string::npos);  // every record ends with eol
    out.push_back(body.substr(at, end - at));
    at = end + eol.size();
  }
  return out;
}

}  // namespace

TEST_CASE("activity export: csv cells", "[activity][export]") {
  using ve::vault::csv_cell;
  CHECK(csv_cell("plain") == "plain");
  CHECK(csv_cell("").empty());
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  CHECK(csv_cell("=1+1") == "'=1+1");
  CHECK(csv_cell("+1") == "'+1");
  CHECK(csv_cell("-1") == "'-1");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("\rx") == "\"'\rx\"");  // prefixed, then quoted (CR)
  CHECK(csv_cell("=HYPERLINK(\"x\",1)") == "\"'=HYPERLINK(\"\"x\"\",1)\"");
  CHECK(csv_cell("a=b") == "a=b");  // only a leading character is a formula
}

TEST_CASE("activity export: csv through the router", "[activity][export]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto bob = add_user(host, "bob@example.com");
  clear_audit(host);
  const auto first = seed_audit(host, alice.user_id,
                                {.created_at = kT0,
                                 .actor_id = "dev_1",
                                 .action = "key.proxy",
                                 .key_id = "key_1",
                                 .key_name = "=cmd|' /C calc'!A0",
                                 .client = "apilocker-cli",
                                 .detail = "POST api.example/v1/a,\"b\" → 200, 10 bytes"});
  const auto second = seed_audit(
      host, alice.user_id,
      {.created_at = kT0 + 1000, .actor_kind = "session", .action = "key.rotate", .status = 409});
  seed_audit(host, bob.user_id, {.created_at = kT0 + 500, .key_name = "BOB_SECRET_NAME"});

  auto r = call(host, alice, "GET",
                "/v1/activity/export?format=csv&from=2027-01-15&to=2027-01-16T00:00:00Z");
  REQUIRE(r.status == 200);
  CHECK(*ve::http::find_header(r.headers, "content-type") == "text/csv; charset=utf-8");
  CHECK(*ve::http::find_header(r.headers, "content-disposition") ==
        "attachment; filename=\"vaultedge-activity-2027-01-15-2027-01-16.csv\"");
  CHECK(*ve::http::find_header(r.headers, "cache-control") == "no-store");
  CHECK(r.body.find("BOB_SECRET_NAME") == std::string::npos);
  const auto lines = lines_of(r.body, "\r\n");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "id,created_at,action,status,key_id,key_name,provider,token_id,actor_kind,actor_id,"
        "client,source_ip,country,latency_ms,detail");
  // Oldest first; the injected name is neutralised and the detail quoted.
  CHECK(lines[1] == std::to_string(first) +
                        ",2027-01-15T08:00:00.000Z,key.proxy,200,key_1,'=cmd|' /C calc'!A0,,,"
                        "master,dev_1,apilocker-cli,127.0.0.1,,3,"
                        "\"POST api.example/v1/a,\"\"b\"\" → 200, 10 bytes\"");
  CHECK(lines[2] == std::to_string(second) +
                        ",2027-01-15T08:00:01.000Z,key.rotate,409,,,,,session,,,127.0.0.1,,3,");

  // Filters apply; no format means csv; open ends are named by the data and today.
  auto denied = call(host, alice, "GET", "/v1/activity/export?status=409");
  REQUIRE(denied.status == 200);
  CHECK(lines_of(denied.body, "\r\n").size() == 2);
  const auto disposition =
      std::string(*ve::http::find_header(denied.headers, "content-disposition"));
  CHECK(disposition.rfind("attachment; filename=\"vaultedge-activity-2027-01-15-", 0) == 0);
}

TEST_CASE("activity export: json lines", "[activity][export]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  clear_audit(host);
  std::vector<std::int64_t> ids;
  ids.reserve(3);
  for (int i = 0; i < 3; ++i) {
    ids.push_back(seed_audit(host, alice.user_id,
                             {.created_at = kT0 + i, .key_name = "line\nbreak \"quoted\""}));
  }
  auto r = call(host, alice, "GET", "/v1/activity/export?format=jsonl&to=2027-01-16");
  REQUIRE(r.status == 200);
  CHECK(*ve::http::find_header(r.headers, "content-type") == "application/x-ndjson");
  const auto disposition = std::string(*ve::http::find_header(r.headers, "content-disposition"));
  CHECK(disposition == "attachment; filename=\"vaultedge-activity-2027-01-15-2027-01-16.jsonl\"");
  const auto lines = lines_of(r.body, "\n");
  REQUIRE(lines.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto v = bj::parse(lines[i]);
    CHECK(v.at("id") == ids[i]);
    CHECK(v.at("key_name") == "line\nbreak \"quoted\"");
    CHECK(v.at("status_code") == 200);
  }
}

TEST_CASE("activity export: more than 10000 rows is range_too_large", "[activity][export]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  clear_audit(host);
  // 10 000 rows on 2027-01-15, one more on the 16th.
  const std::string insert =
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) "
      "INSERT INTO audit_log (user_id, created_at, actor_kind, action, status) SELECT '" +
      alice.user_id + "', " + std::to_string(kT0) + " + i, 'master', 'key.reveal', 200 FROM n";
  REQUIRE(sqlite3_exec(host.db(), insert.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  seed_audit(host, alice.user_id, {.created_at = kT0 + 86'400'000});

  auto all = call(host, alice, "GET", "/v1/activity/export?format=jsonl");
  CHECK(all.status == 400);
  CHECK(body_json(all).at("code") == "range_too_large");
  CHECK(std::string(body_json(all).at("error").as_string()).find("'from'") != std::string::npos);

  auto day =
      call(host, alice, "GET", "/v1/activity/export?format=jsonl&from=2027-01-15&to=2027-01-16");
  REQUIRE(day.status == 200);
  CHECK(lines_of(day.body, "\n").size() == 10'000);
}

TEST_CASE("activity export: bad input", "[activity][export][bad-input]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  for (const auto& [q, name] :
       std::vector<std::pair<std::string, std::string>>{{"?format=xlsx", "format"},
                                                        {"?format=", "format"},
                                                        {"?from=soon", "from"},
                                                        {"?status=maybe", "status"}}) {
    INFO(q);
    auto r = call(host, alice, "GET", "/v1/activity/export" + q);
    CHECK(r.status == 400);
    CHECK(std::string(body_json(r).at("error").as_string()).find("'" + name + "'") !=
          std::string::npos);
  }
  CHECK(host.request("GET", "http://127.0.0.1/v1/activity/export").status == 401);
}
