// GET /v1/oauth/grants: the connected-apps fields the dashboard shows — how the
// client identified itself (registered vs. Client ID Metadata Document and its
// host), scopes in the consent page's words, approval and last use.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"
#include "worker/oauth/scopes.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

/// GET /v1/oauth/grants as the dashboard sends it: the session cookie.
bj::array listed(host::HostRunner& host, Browser& browser) {
  std::string cookie;
  for (const auto& [k, v] : browser.cookies()) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  auto r = host.request("GET", std::string(kOrigin) + "/v1/oauth/grants", "",
                        {{"cookie", cookie}, {"origin", kOrigin}});
  REQUIRE(r.status == 200);
  return body_json(r).at("grants").as_array();
}

const bj::object& grant_with(const bj::array& grants, const std::string& id) {
  for (const auto& g : grants) {
    if (g.at("id").as_string() == id) return g.as_object();
  }
  FAIL("no grant " << id);
  return grants[0].as_object();
}

}  // namespace

TEST_CASE("oauth/grants: client kind, verified host, described scopes, use times",
          "[oauth][grants]") {
  SignedIn s;
  auto registered = connect(s.host, s.browser, "vault:read vault:proxy", {"vault:proxy"});
  REQUIRE(list_keys_status(s.host, registered.tokens.access) == 200);  // a use
  // A metadata-document client approved but never used since (seeded: fetching
  // a document is oauth_clients_test's business).
  const std::string user = user_id_of(s.host, kAlice);
  const std::string doc = "https://app.example.com/oauth/client.json";
  const std::string insert =
      "INSERT INTO oauth_grants (id, user_id, client_id, client_name, redirect_uri, scope, "
      "resource, created_at, activated_at) VALUES ('grant-doc', '" +
      user + "', '" + doc +
      "', 'Doc App', 'https://app.example.com/cb', 'vault:read "
      "vault:write', '" +
      kResource + "', 1800000000000, 1800000000500)";
  REQUIRE(sqlite3_exec(s.host.db(), insert.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);

  const auto grants = listed(s.host, s.browser);
  REQUIRE(grants.size() == 2);

  const auto& r = grant_with(grants, registered.grant_id);
  CHECK(r.at("client_kind") == "registered");
  CHECK(r.at("verified_host").is_null());
  CHECK(r.at("redirect_host") == "127.0.0.1:7777");
  CHECK(r.at("approved_at") == r.at("authorized_at"));
  CHECK_THAT(std::string(r.at("last_used_at").as_string()), Catch::EndsWith("Z"));
  const auto& described = r.at("scopes_described").as_array();
  REQUIRE(described.size() == 2);
  CHECK(described[0].at("scope") == "vault:read");
  CHECK(described[1].at("scope") == "vault:proxy");
  for (const auto& d : described) {
    // The consent page's wording, from the one table in oauth/scopes.
    const std::string scope(d.at("scope").as_string());
    CHECK(d.at("description").as_string() == ve::oauth::scope_summary(scope));
    CHECK(d.at("description") != d.at("scope"));
  }

  const auto& m = grant_with(grants, "grant-doc");
  CHECK(m.at("client_kind") == "metadata_document");
  CHECK(m.at("verified_host") == "app.example.com");
  CHECK(m.at("redirect_host") == "app.example.com");
  CHECK(m.at("approved_at") == "2027-01-15T08:00:00.000Z");
  CHECK(m.at("last_used_at").is_null());                        // never used
  CHECK(m.at("last_active_at") == "2027-01-15T08:00:00.000Z");  // unchanged meaning
  CHECK(m.at("scopes_described").as_array().size() == 2);
}
