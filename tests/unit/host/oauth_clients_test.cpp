// OAuth clients (docs/oauth.md "Clients"): RFC 7591 registration, and Client
// ID Metadata Documents fetched through the fetch effect from a fake server.
#include <catch2/catch.hpp>
#include <iterator>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

constexpr const char* kDocUrl = "https://client.example.com/oauth/client.json";
constexpr std::size_t kDocLimit = std::size_t{16} * 1024;

/// The metadata document a well-behaved client serves at `url`.
bj::object good_document(const std::string& url = kDocUrl) {
  return {{"client_id", url},
          {"client_name", "Doc Client"},
          {"client_uri", "https://client.example.com"},
          {"redirect_uris", bj::array{kRedirect}},
          {"token_endpoint_auth_method", "none"}};
}

/// `doc` serialized and padded (a "padding" member) to exactly `size` bytes.
std::string padded(bj::object doc, std::size_t size) {
  doc["padding"] = "";
  const std::size_t base = bj::serialize(doc).size();
  doc["padding"] = std::string(size - base, 'p');
  return bj::serialize(doc);
}

/// A fake web server for metadata documents: answers every fetch with
/// `status` and `body` (or fails the effect), and records what was asked.
struct FakeDocs {
  int status = 200;
  std::string body = bj::serialize(good_document());
  bool fail = false;
  std::vector<async::FetchRequest> seen;

  async::EffectResult operator()(const async::FetchRequest& f) {
    seen.push_back(f);
    async::EffectResult r;
    r.ok = !fail;
    if (fail) {
      r.error = "timed out";
      return r;
    }
    r.value = async::FetchResponse{status, {{"content-type", "application/json"}}, body};
    return r;
  }
};

/// Installs `docs` as the host's network.
void serve(host::HostRunner& host, FakeDocs& docs) {
  host.set_fetch([&docs](const async::FetchRequest& f) { return docs(f); });
}

/// GET /oauth/authorize for `client_id` from `browser`.
http::Response authorize_as(Browser& browser, const std::string& client_id,
                            const std::string& redirect_uri = kRedirect) {
  return browser.get(authorize_path(
      {.client_id = client_id, .challenge = new_pkce().challenge, .redirect_uri = redirect_uri}));
}

/// An error page: 400 HTML, no redirect anywhere, nothing pending.
void check_error_page(host::HostRunner& host, const http::Response& r) {
  CHECK(r.status == 400);
  CHECK(header(r, "location").empty());
  CHECK_THAT(header(r, "content-type"), Catch::Contains("text/html"));
  CHECK(count(host, "oauth_requests") == 0);
}

std::string header_of(const async::FetchRequest& f, std::string_view name) {
  for (const auto& [k, v] : f.headers) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

TEST_CASE("oauth/clients: registration is for public clients only", "[oauth][host]") {
  auto host = make_runner();
  auto r = register_raw(host, {{"client_name", "Secretive"},
                               {"redirect_uris", bj::array{kRedirect}},
                               {"token_endpoint_auth_method", "client_secret_basic"},
                               {"scope", "vault:proxy"}});
  REQUIRE(r.status == 201);
  auto body = body_json(r).as_object();
  const std::string id(body.at("client_id").as_string());
  CHECK(starts_with(id, "vc_"));
  CHECK(body.at("token_endpoint_auth_method").as_string() == "none");
  CHECK_FALSE(body.contains("client_secret"));
  CHECK(body.at("redirect_uris").as_array() == bj::array{kRedirect});
  CHECK(body.at("scope").as_string() == "vault:read vault:proxy");
  CHECK(count(host, "oauth_clients", "id = '" + id + "' AND client_name = 'Secretive'") == 1);
}

TEST_CASE("oauth/clients: registration refuses bad metadata", "[oauth][host]") {
  auto host = make_runner();
  struct Case {
    std::string body;
    const char* error;
  };
  const Case cases[] = {
      {R"({"client_name":"x"})", "invalid_redirect_uri"},
      {R"({"redirect_uris":["http://example.com/cb"]})", "invalid_redirect_uri"},
      {R"({"redirect_uris":["https://a.example/cb#f"]})", "invalid_redirect_uri"},
      {R"({"redirect_uris":["https://a.example/cb"],"grant_types":["client_credentials"]})",
       "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"scope":"vault:admin"})",
       "invalid_client_metadata"},
      {"not json", "invalid_client_metadata"},
      {"[]", "invalid_client_metadata"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    auto r = post_json(host, "/oauth/register", c.body);
    CHECK(r.status == 400);
    CHECK(oauth_error(r) == c.error);
  }
  CHECK(count(host, "oauth_clients") == 0);
}

TEST_CASE("oauth/clients: a metadata document is fetched within limits and connects",
          "[oauth][host]") {
  SignedIn s;
  FakeDocs docs;
  serve(s.host, docs);
  const Pkce pkce = new_pkce();
  const std::string code = approve_code(s.browser, kDocUrl, pkce);
  REQUIRE(docs.seen.size() == 1);
  const auto& f = docs.seen[0];
  CHECK(f.method == "GET");
  CHECK(f.url == kDocUrl);
  CHECK(f.max_response_bytes == kDocLimit);
  CHECK(f.timeout_ms == 5000);
  CHECK_THAT(header_of(f, "accept"), Catch::Contains("application/json"));

  auto page = authorize_as(s.browser, kDocUrl);
  CHECK(page.status == 200);
  CHECK_THAT(page.body, Catch::Contains("Doc Client"));
  CHECK_THAT(page.body, Catch::Contains("client.example.com"));

  const Tokens t = tokens_of(exchange(s.host, kDocUrl, code, pkce.verifier));
  CHECK(list_keys_status(s.host, t.access) == 200);
  CHECK(sql_text(s.host, "SELECT client_id FROM oauth_grants") == kDocUrl);
  CHECK(count(s.host, "oauth_clients") == 0);
}

TEST_CASE("oauth/clients: a document of exactly 16 KiB is accepted", "[oauth][host]") {
  SignedIn s;
  FakeDocs docs;
  docs.body = padded(good_document(), kDocLimit);
  REQUIRE(docs.body.size() == kDocLimit);
  serve(s.host, docs);
  CHECK(authorize_as(s.browser, kDocUrl).status == 200);
}

TEST_CASE("oauth/clients: a bad metadata document is an error page, never a redirect",
          "[oauth][host]") {
  SignedIn s;
  FakeDocs docs;
  serve(s.host, docs);
  auto basic = good_document();
  basic["token_endpoint_auth_method"] = "client_secret_basic";
  auto no_uris = good_document();
  no_uris.erase("redirect_uris");
  struct Case {
    const char* what;
    int status;
    std::string body;
    bool fail = false;
  };
  const Case cases[] = {
      {"another client_id", 200, bj::serialize(good_document("https://other.example/c.json"))},
      {"no client_id", 200,
       R"({"client_name":"x","redirect_uris":["http://127.0.0.1:7777/callback"]})"},
      {"404", 404, bj::serialize(good_document())},
      {"a redirect", 302, bj::serialize(good_document())},
      {"500", 500, "oops"},
      {"over 16 KiB", 200, padded(good_document(), kDocLimit + 1)},
      {"not JSON", 200, "<html>hello</html>"},
      {"a JSON array", 200, "[]"},
      {"a client secret method", 200, bj::serialize(basic)},
      {"no redirect_uris", 200, bj::serialize(no_uris)},
      {"unreachable", 200, "", true},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    docs.status = c.status;
    docs.body = c.body;
    docs.fail = c.fail;
    check_error_page(s.host, authorize_as(s.browser, kDocUrl));
  }
  CHECK(docs.seen.size() == std::size(cases));
  CHECK(count(s.host, "oauth_grants") == 0);
}

TEST_CASE("oauth/clients: a redirect URI the document does not list is an error page",
          "[oauth][host]") {
  SignedIn s;
  FakeDocs docs;
  serve(s.host, docs);
  for (const char* uri : {"http://127.0.0.1:7777/other", "https://evil.example/callback"}) {
    INFO(uri);
    check_error_page(s.host, authorize_as(s.browser, kDocUrl, uri));
  }
}

TEST_CASE("oauth/clients: a private or local client_id URL is never fetched", "[oauth][host]") {
  SignedIn s;
  FakeDocs docs;
  serve(s.host, docs);
  for (const char* url :
       {"https://10.0.0.5/client.json", "https://127.0.0.1/client.json", "https://127.1/c.json",
        "https://[::1]/client.json", "https://169.254.169.254/latest", "https://localhost/c.json",
        "https://metadata.google.internal/c.json", "https://printer.local/c.json",
        "http://client.example.com/c.json", "https://client.example.com/",
        "https://u:p@client.example.com/c.json", "https://client.example.com/c.json?x=1"}) {
    INFO(url);
    check_error_page(s.host, authorize_as(s.browser, url));
  }
  CHECK(docs.seen.empty());
}

TEST_CASE("oauth/clients: local names written another way are never fetched", "[oauth][host]") {
  SignedIn s;
  FakeDocs docs;
  serve(s.host, docs);
  for (const char* url : {"https://localhost./c.json", "https://printer.local./c.json",
                          "https://127.0.0.1%2e/c.json", "https://%6cocalhost/c.json"}) {
    INFO(url);
    docs.body = bj::serialize(good_document(url));
    check_error_page(s.host, authorize_as(s.browser, url));
  }
  std::string fetched;
  for (const auto& f : docs.seen) fetched += f.url + " ";
  CHECK(fetched.empty());
}

TEST_CASE("oauth/clients: http loopback documents are fetched in development only",
          "[oauth][host]") {
  const std::string url = "http://127.0.0.1:8123/client.json";
  FakeDocs docs;
  docs.body = bj::serialize(good_document(url));

  SignedIn dev;
  serve(dev.host, docs);
  CHECK(authorize_as(dev.browser, url).status == 200);
  CHECK(docs.seen.size() == 1);

  auto production = make_runner_with({{"ENVIRONMENT", "production"}});
  serve(production, docs);
  Browser anonymous(production);
  check_error_page(production, authorize_as(anonymous, url));
  CHECK(docs.seen.size() == 1);
}
