// DELETE /v1/account (docs/storage.md "Account deletion") through the real
// router on real SQLite: two users fill every table the product writes, one
// deletes their account, and a scan of EVERY table of the schema (read from
// sqlite_master, so a table added later is covered without editing this test)
// finds no row of theirs and every row of the other user unchanged. Then the
// KV side: blobs gone, or — when a KV delete fails — listed in blob_deletions
// until the purge deletes them.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <set>

#include "tests/unit/host/oauth_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;
namespace o = ve::test::oauth;

namespace {

/// Everything one user has, made through the product's own routes.
struct World {
  std::string email;
  VaultUser user;  ///< the device master token of `browser`'s user
  std::vector<std::string> key_ids;
};

/// Fills every table a user can have rows in: session + identity (sign-in),
/// device code + device + master token (device flow), keys with a rotation
/// (versions) and a rename (alias), reveals (rate limits by user and token),
/// a scoped token with its keys and credentials, an OAuth grant with codes and
/// tokens, an MCP log level, a consent left open, and their audit rows.
World populate(host::HostRunner& host, Browser& browser, const std::string& email) {
  World w;
  w.email = email;
  browser.dev_sign_in(email);
  auto reg = register_device(host, browser, "laptop-" + email);
  w.user = VaultUser{reg.user_id, reg.device_id, reg.token};
  const std::string salt = email.substr(0, email.find('@'));
  for (const char* name : {"OPENAI", "STRIPE"}) {
    w.key_ids.push_back(
        store_key(host, w.user, std::string(name) + "_KEY", "sk-" + salt + "-" + name + "-0001"));
    REQUIRE_FALSE(w.key_ids.back().empty());
  }
  REQUIRE(call(host, w.user, "POST", "/v1/keys/" + w.key_ids[0] + "/rotate",
               bj::value{{"key", "sk-" + salt + "-rotated-0002"}})
              .status == 200);
  REQUIRE(call(host, w.user, "POST", "/v1/keys/" + w.key_ids[1] + "/rename",
               bj::value{{"new_name", "STRIPE_RENAMED"}})
              .status == 200);
  REQUIRE(
      call(host, w.user, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"OPENAI_KEY"}}})
          .status == 200);
  auto scoped =
      call(host, w.user, "POST", "/v1/tokens",
           bj::value{{"name", "ci-" + salt}, {"allowed_keys", bj::array{bj::value(w.key_ids[0])}}});
  REQUIRE(scoped.status == 201);
  const VaultUser as_token{w.user.user_id, "",
                           std::string(body_json(scoped).at("token").as_string())};
  REQUIRE(
      call(host, as_token, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"OPENAI_KEY"}}})
          .status == 200);
  auto c = o::connect(host, browser, "", {"vault:write", "vault:proxy"},
                      o::register_client(host, "Client of " + salt));
  auto level = o::mcp(host, c.tokens.access,
                      bj::object{{"jsonrpc", "2.0"},
                                 {"id", 7},
                                 {"method", "logging/setLevel"},
                                 {"params", bj::object{{"level", "debug"}}}});
  REQUIRE(level.status == 200);
  REQUIRE_FALSE(
      o::consent_for(browser, o::register_client(host, "Pending " + salt)).request.empty());
  return w;
}

/// Every user table of the schema (sqlite_master), never a hard-coded list.
std::vector<std::string> tables(host::HostRunner& host) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(host.db(),
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
                     -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  return out;
}

/// Every row of every table as "table|col=value|…" text cells, with the
/// names of its columns alongside.
struct Row {
  std::string table;
  std::vector<std::pair<std::string, std::string>> cells;  ///< column → text (NULL: "\x01")
  std::string text() const {
    std::string s = table;
    for (const auto& [k, v] : cells) s += "|" + k + "=" + v;
    return s;
  }
};

std::vector<Row> dump(host::HostRunner& host) {
  std::vector<Row> rows;
  for (const auto& table : tables(host)) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(host.db(), ("SELECT * FROM \"" + table + "\"").c_str(), -1, &st,
                               nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      Row r{table, {}};
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* v = sqlite3_column_text(st, c);
        r.cells.emplace_back(sqlite3_column_name(st, c),
                             v ? std::string(reinterpret_cast<const char*>(v)) : "\x01");
      }
      rows.push_back(std::move(r));
    }
    sqlite3_finalize(st);
  }
  return rows;
}

/// True for a column that identifies something (so its values are specific
/// to one user): ids, hashes, blob names, the email.
bool identifying(const std::string& column) {
  const auto ends = [&](std::string_view s) {
    return column.size() >= s.size() && column.compare(column.size() - s.size(), s.size(), s) == 0;
  };
  // Client ids are not the user's: registered clients are global rows.
  return column != "client_id" && column != "actor_id" &&
         (column == "id" || column == "email" || column == "hash" || column == "blob_key" ||
          ends("_id") || ends("_hash"));
}

/// The identifying values of every row that names `user_id`: the user's own
/// rows' ids, hashes and keys, found without knowing the tables.
std::set<std::string> handles_of(const std::vector<Row>& rows, const std::string& user_id) {
  std::set<std::string> h{user_id};
  for (const auto& r : rows) {
    bool mine = false;
    for (const auto& [k, v] : r.cells)
      mine = mine || ((k == "user_id" || k == "id") && v == user_id);
    if (!mine) continue;
    for (const auto& [k, v] : r.cells) {
      if (identifying(k) && v.size() >= 8 && v != "\x01") h.insert(v);
    }
  }
  return h;
}

/// True when any cell of `r` contains any of `handles`.
bool mentions(const Row& r, const std::set<std::string>& handles) {
  for (const auto& [k, v] : r.cells) {
    for (const auto& h : handles) {
      if (v.find(h) != std::string::npos) return true;
    }
  }
  return false;
}

std::string confirm(const std::string& email) {
  return bj::serialize(bj::object{{"confirm_email", email}});
}

std::size_t blobs_of(host::HostRunner& host, const std::string& user_id) {
  std::size_t n = 0;
  for (const auto& [k, v] : host.kv()) n += k.rfind("blob/" + user_id + "/", 0) == 0 ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE(
    "account deletion: no row of the user is left in any table and the other user's are "
    "untouched",
    "[account][host]") {
  auto host = make_runner();
  Browser alice_browser(host);
  Browser bob_browser(host);
  const World alice = populate(host, alice_browser, "alice.deleted@example.com");
  const World bob = populate(host, bob_browser, "bob.stays@example.com");

  const auto before = dump(host);
  const auto alice_handles = handles_of(before, alice.user.user_id);
  // Sanity: the world really spans the schema (a table the fixture does not
  // fill would make the check below vacuous for it).
  std::set<std::string> filled;
  for (const auto& r : before) {
    if (mentions(r, alice_handles)) filled.insert(r.table);
  }
  for (const auto& t : tables(host)) {
    if (t == "batch_guard" || t == "blob_deletions" || t == "oauth_clients" ||
        t == "oauth_client_documents" || t == "login_states" || t == "rate_limits") {
      // Never rows of a user (guards, global client data, pre-login state), or
      // rows any later request of another minute may drop (rate-limit windows).
      continue;
    }
    INFO("the fixture leaves table " << t << " empty for alice; extend populate()");
    CHECK(filled.count(t) == 1);
  }
  std::vector<std::string> expected;
  for (const auto& r : before) {
    if (!mentions(r, alice_handles)) expected.push_back(r.text());
  }
  REQUIRE(blobs_of(host, alice.user.user_id) == 3);  // two keys, one rotated once

  auto r = alice_browser.fetch("DELETE", "/v1/account", confirm(alice.email));
  INFO(r.body);
  REQUIRE(r.status == 200);
  const auto body = body_json(r).as_object();
  CHECK(body.at("deleted") == true);
  CHECK(body.at("keys") == 2);
  CHECK(body.at("blobs_deleted") == 3);
  CHECK(body.at("blobs_pending") == 0);
  CHECK(set_cookie_for(r, "__Host-vaultedge_session").find("Max-Age=0") != std::string::npos);

  std::vector<std::string> after;
  for (const auto& row : dump(host)) {
    INFO(row.text());
    CHECK_FALSE(mentions(row, alice_handles));
    after.push_back(row.text());
  }
  CHECK(after == expected);  // bob's rows (and global ones) exactly as they were
  CHECK(blobs_of(host, alice.user.user_id) == 0);
  CHECK(blobs_of(host, bob.user.user_id) == 3);

  // Alice's credentials are dead; bob's work.
  CHECK(alice_browser.get("/v1/auth/me").status == 401);
  CHECK(get_bearer(host, "/v1/auth/me", alice.user.token).status == 401);
  CHECK(get_bearer(host, "/v1/keys", bob.user.token).status == 200);
  CHECK(bob_browser.get("/v1/keys").status == 200);
  auto revealed =
      call(host, bob.user, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"OPENAI_KEY"}}});
  CHECK(revealed.status == 200);
  CHECK(revealed.body.find("sk-bob.stays-rotated-0002") != std::string::npos);
}

TEST_CASE("account deletion: only the signed-in browser, only with the account's email",
          "[account][host]") {
  auto host = make_runner();
  Browser b(host);
  const World w = populate(host, b, "carol@example.com");
  const auto before = dump(host).size();

  // A device master token may not delete the account (nor its audit trail).
  auto bearer = call(host, w.user, "DELETE", "/v1/account", confirm(w.email));
  CHECK(bearer.status == 403);
  CHECK(body_json(bearer).at("code") == "session_required");
  // The email must match (case and surrounding spaces aside).
  for (const std::string& bad : {confirm("someone@example.com"), confirm(""), std::string("{}"),
                                 std::string("{oops"), std::string(R"({"confirm_email":42})")}) {
    INFO(bad);
    auto r = b.fetch("DELETE", "/v1/account", bad);
    CHECK(r.status == 400);
  }
  CHECK(body_json(b.fetch("DELETE", "/v1/account", confirm("x@example.com"))).at("code") ==
        "confirm_email_mismatch");
  // The CSRF header is required like on every unsafe session call.
  auto no_csrf = host.request(
      "DELETE", "http://127.0.0.1/v1/account", confirm(w.email),
      {{"cookie", "__Host-vaultedge_session=" + b.cookies().at("__Host-vaultedge_session")},
       {"origin", "http://127.0.0.1"},
       {"content-type", "application/json"}});
  CHECK(no_csrf.status == 403);
  CHECK(body_json(no_csrf).at("code") == "csrf_required");
  CHECK(dump(host).size() == before);

  auto ok = b.fetch("DELETE", "/v1/account", confirm("  CAROL@example.com "));
  CHECK(ok.status == 200);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
}

TEST_CASE(
    "account deletion: a failed KV delete leaves a blob_deletions row that the purge finishes",
    "[account][maintenance][host]") {
  auto host = make_runner();
  Browser b(host);
  const World w = populate(host, b, "dora@example.com");
  REQUIRE(blobs_of(host, w.user.user_id) == 3);

  host.set_kv_delete_fails(true);
  auto r = b.fetch("DELETE", "/v1/account", confirm(w.email));
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("blobs_deleted") == 0);
  CHECK(body_json(r).at("blobs_pending") == 3);
  // The account is gone from D1; only the listing and the ciphertext remain.
  CHECK(sql_int(host, "SELECT COUNT(*) FROM users") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM key_versions") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM blob_deletions WHERE user_id = '" + w.user.user_id +
                          "'") == 3);
  CHECK(blobs_of(host, w.user.user_id) == 3);

  // A purge while KV still fails keeps every row for the next run.
  auto failing = host.scheduled();
  REQUIRE(failing.status == 200);
  CHECK(bj::parse(failing.body).at("purged").at("blob_deletions") == 0);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM blob_deletions") == 3);

  host.set_kv_delete_fails(false);
  auto purged = host.scheduled();
  REQUIRE(purged.status == 200);
  CHECK(bj::parse(purged.body).at("purged").at("blob_deletions") == 3);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM blob_deletions") == 0);
  CHECK(blobs_of(host, w.user.user_id) == 0);
}

TEST_CASE("the purge deletes at most 100 listed blobs per run, oldest first",
          "[account][maintenance][host]") {
  auto host = make_runner();
  for (int i = 0; i < 130; ++i) {
    const std::string key = "blob/usr_gone/key_x/" + std::to_string(i);
    host.kv()[key] = "ciphertext";
    exec_sql(host, "INSERT INTO blob_deletions (blob_key, user_id, created_at) VALUES ('" + key +
                       "', 'usr_gone', " + std::to_string(1000 + i) + ")");
  }
  auto first = host.scheduled();
  REQUIRE(first.status == 200);
  CHECK(bj::parse(first.body).at("purged").at("blob_deletions") == 100);
  CHECK(sql_int(host, "SELECT COUNT(*) FROM blob_deletions") == 30);
  CHECK(sql_int(host, "SELECT MIN(created_at) FROM blob_deletions") == 1100);
  CHECK(host.kv().size() == 30);
  CHECK(bj::parse(host.scheduled().body).at("purged").at("blob_deletions") == 30);
  CHECK(host.kv().empty());
}
