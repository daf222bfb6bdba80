// The scheduled retention purge (worker/maintenance, docs/storage.md
// "Retention") through the real core on real SQLite: state made by the real
// flows, aged by moving its timestamps back, then one scheduled run. What can
// never be used again goes; everything live keeps working.
#include <catch2/catch.hpp>

#include "tests/unit/host/oauth_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/crypto/encoding.hpp"
#include "worker/crypto/random.hpp"
#include "worker/util/time.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;
namespace o = ve::test::oauth;

namespace {

/// Runs the Cron Trigger and returns its per-table counts (aborts unless 200).
bj::object run_purge(host::HostRunner& host) {
  auto r = host.scheduled();
  INFO(r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return bj::parse(r.body).at("purged").as_object();
}

std::int64_t purged(const bj::object& counts, const char* table) {
  REQUIRE(counts.contains(table));
  return counts.at(table).as_int64();
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

/// A random primary-key value for a row the test inserts (not a credential).
std::string row_key() {
  return crypto::hex_encode(crypto::random_string(16));
}

}  // namespace

TEST_CASE("maintenance: sign-in state, consent requests and dead OAuth grants are purged",
          "[maintenance][host]") {
  o::SignedIn s;
  auto& host = s.host;
  const std::string alice = o::user_id_of(host, o::kAlice);

  auto live = o::connect(host, s.browser);
  // Rotate once: the spent refresh token must survive the purge (reuse detection).
  auto rotated = o::tokens_of(o::refresh(host, live.client_id, live.tokens.refresh));

  auto expired = o::connect(host, s.browser);
  exec_sql(host,
           "UPDATE oauth_tokens SET expires_at = 1 WHERE grant_id = " + quoted(expired.grant_id));
  auto revoked = o::connect(host, s.browser);
  REQUIRE(o::revoke(host, revoked.tokens.refresh).status == 200);

  const o::Pkce stale_pkce = o::new_pkce();
  const std::string stale_client = o::register_client(host);
  const std::string stale_grant =
      o::grant_of_code(host, o::approve_code(s.browser, stale_client, stale_pkce));
  exec_sql(host, "UPDATE oauth_codes SET expires_at = 1 WHERE grant_id = " + quoted(stale_grant));

  const o::Pkce fresh_pkce = o::new_pkce();
  const std::string fresh_client = o::register_client(host);
  const std::string fresh_code = o::approve_code(s.browser, fresh_client, fresh_pkce);

  // Every grant is older than a day, and so every used code has expired; only
  // what is inside the grants decides.
  exec_sql(host, "UPDATE oauth_grants SET created_at = 1");
  exec_sql(host, "UPDATE oauth_codes SET expires_at = 1 WHERE used_at IS NOT NULL");

  auto pending = o::consent_for(s.browser, o::register_client(host));
  REQUIRE_FALSE(pending.request.empty());
  exec_sql(host, "UPDATE oauth_requests SET expires_at = 1");

  exec_sql(host, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (" +
                     quoted(row_key()) + ", " + quoted(alice) + ", 1, 2)");
  exec_sql(host,
           "INSERT INTO login_states (state_hash, provider, code_verifier, nonce, return_to, "
           "expires_at) VALUES (" +
               quoted(row_key()) + ", 'github', 'v', 'n', '/', 1)");
  auto started = post_json(host, "/v1/cli-auth/start", R"({"client_metadata":{}})");
  REQUIRE(started.status == 200);
  exec_sql(host, "UPDATE device_codes SET expires_at = 1");

  const auto counts = run_purge(host);
  CHECK(purged(counts, "oauth_grants") == 3);  // expired, revoked, never exchanged
  CHECK(purged(counts, "oauth_requests") == 1);
  CHECK(purged(counts, "sessions") == 1);
  CHECK(purged(counts, "login_states") == 1);
  CHECK(purged(counts, "device_codes") == 1);
  CHECK(o::count(host, "oauth_grants") == 2);
  for (const auto& gone : {expired.grant_id, revoked.grant_id, stale_grant}) {
    CHECK(o::count(host, "oauth_grants", "id = " + quoted(gone)) == 0);
    CHECK(o::count(host, "oauth_tokens", "grant_id = " + quoted(gone)) == 0);
    CHECK(o::count(host, "oauth_codes", "grant_id = " + quoted(gone)) == 0);
  }

  // What is live still works: the session, the rotated pair, the fresh code.
  CHECK(o::list_keys_status(host, rotated.access) == 200);
  CHECK(o::consent_for(s.browser, o::register_client(host)).page.status == 200);
  auto exchanged = o::exchange(host, fresh_client, fresh_code, fresh_pkce.verifier);
  CHECK(exchanged.status == 200);

  // A second run finds nothing more.
  for (const auto& [table, rows] : run_purge(host)) {
    INFO(table);
    CHECK(rows.as_int64() == 0);
  }

  // The spent refresh token was kept: presenting it again still revokes the grant.
  CHECK(o::oauth_error(o::refresh(host, live.client_id, live.tokens.refresh)) == "invalid_grant");
  CHECK(o::list_keys_status(host, rotated.access) == 401);
}

TEST_CASE("maintenance: dead scoped-token credentials and stale rate-limit windows are purged",
          "[maintenance][host]") {
  auto host = make_runner_with({});
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "A", "sk-value-of-a-0001");
  auto create = [&](const char* rotation) {
    auto r = call(
        host, alice, "POST", "/v1/tokens",
        bj::value(bj::object{
            {"name", rotation}, {"allowed_keys", bj::array{"A"}}, {"rotation_type", rotation}}));
    REQUIRE(r.status == 201);
    auto b = body_json(r).as_object();
    VaultUser as = alice;
    as.token = str(b.at("token"));
    return std::pair{str(b.at("id")), as};
  };
  auto [static_id, static_as] = create("static");
  auto [daily_id, daily_as] = create("daily");
  auto [revoked_id, revoked_as] = create("weekly");
  exec_sql(host, "UPDATE scoped_token_credentials SET expires_at = 1 WHERE token_id = " +
                     quoted(daily_id));
  REQUIRE(call(host, alice, "DELETE", "/v1/tokens/" + revoked_id).status == 200);

  const std::int64_t now = util::now_ms();
  const std::int64_t minute = now - now % 60'000;
  exec_sql(host,
           "INSERT INTO rate_limits (bucket, window_start, count) VALUES "
           "('reveal:user:old', 60000, 4), ('oauth_token:ip:192.0.2.1', " +
               std::to_string(minute - 60'000) + ", 2), ('proxy:user:now', " +
               std::to_string(minute) + ", 1)");

  const auto counts = run_purge(host);
  CHECK(purged(counts, "scoped_token_credentials") == 4);  // daily's pair, revoked's pair
  CHECK(purged(counts, "rate_limits") == 2);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM scoped_token_credentials WHERE token_id = " +
                             quoted(static_id)) == 1);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM scoped_tokens") == 3);  // their history stays
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM rate_limits WHERE bucket = 'proxy:user:now'") == 1);
  CHECK(call(host, static_as, "GET", "/v1/keys").status == 200);
  CHECK(call(host, daily_as, "GET", "/v1/keys").status == 401);
  CHECK(call(host, revoked_as, "GET", "/v1/keys").status == 401);
  auto listed = call(host, alice, "GET", "/v1/tokens");
  CHECK(listed.status == 200);
  CHECK(listed.body.find(revoked_id) != std::string::npos);
}

TEST_CASE("maintenance: expired cached client metadata documents are purged, fresh ones stay",
          "[maintenance][host]") {
  auto host = make_runner_with({});
  const std::int64_t now = util::now_ms();
  const auto row = [&](const char* url, std::int64_t expires_at) {
    return std::string("('") + url + "', 'Doc', '[\"https://a.example/cb\"]', " +
           std::to_string(now - 1000) + ", " + std::to_string(expires_at) + ")";
  };
  exec_sql(host,
           "INSERT INTO oauth_client_documents (url, client_name, redirect_uris, fetched_at, "
           "expires_at) VALUES " +
               row("https://old.example/client.json", now - 1) + ", " +
               row("https://fresh.example/client.json", now + 3'600'000));
  const auto counts = run_purge(host);
  CHECK(purged(counts, "oauth_client_documents") == 1);
  CHECK(sql_text(host, "SELECT url FROM oauth_client_documents") ==
        "https://fresh.example/client.json");
}
