// OAuth clients (docs/oauth.md "Clients"): RFC 7591 registration, and Client
// ID Metadata Documents fetched through the fetch effect from a fake server.
#include <catch2/catch.hpp>
#include <iterator>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/util/time.hpp"

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
  async::Headers headers = {{"content-type", "application/json"}};
  std::vector<async::FetchRequest> seen;

  async::EffectResult operator()(const async::FetchRequest& f) {
    seen.push_back(f);
    async::EffectResult r;
    r.ok = !fail;
    if (fail) {
      r.error = "timed out";
      return r;
    }
    r.value = async::FetchResponse{status, headers, body};
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

/// A browser signed in to `host` by a session row made directly (the dev form
/// exists only in development; this is how a production runner gets a user).
Browser signed_in_directly(host::HostRunner& host, const std::string& email) {
  const std::string token = "vk_sess_test-" + email;
  const std::string now = std::to_string(util::now_ms());
  exec_sql(host, "INSERT INTO users (id, email, created_at) VALUES ('usr_" + email + "', '" +
                     email + "', " + now + ")");
  exec_sql(host, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('" +
                     auth::credential_hash(token) + "', 'usr_" + email + "', " + now + ", " + now +
                     " + 3600000)");
  Browser b(host);
  b.cookies()[auth::kSessionCookie] = token;
  return b;
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
  Browser someone = signed_in_directly(production, "prod@example.com");
  check_error_page(production, authorize_as(someone, url));
  CHECK(docs.seen.size() == 1);
}

TEST_CASE("oauth/clients: a document URL is fetched only once someone is signed in",
          "[oauth][host]") {
  FakeDocs docs;
  SignedIn dev;
  serve(dev.host, docs);
  Browser anonymous(dev.host);
  auto r = authorize_as(anonymous, kDocUrl);
  CHECK(r.status == 303);
  CHECK(starts_with(header(r, "location"), "/auth/login?return_to=%2Foauth%2Fauthorize%3F"));
  CHECK(docs.seen.empty());
  // Even a URL that would be refused for its shape is not looked at before sign-in.
  CHECK(authorize_as(anonymous, "https://10.0.0.1/x.json").status == 303);
  CHECK(docs.seen.empty());
  CHECK(authorize_as(dev.browser, kDocUrl).status == 200);
  CHECK(docs.seen.size() == 1);
}

TEST_CASE("oauth/clients: a document is reused for its HTTP lifetime, not past it",
          "[oauth][host]") {
  FakeDocs docs;
  docs.headers.emplace_back("cache-control", "public, max-age=600");
  SignedIn dev;
  serve(dev.host, docs);
  CHECK(authorize_as(dev.browser, kDocUrl).status == 200);
  CHECK(authorize_as(dev.browser, kDocUrl).status == 200);
  CHECK(docs.seen.size() == 1);  // the second request was answered from D1
  const auto expires =
      sql_int(dev.host, "SELECT expires_at - fetched_at FROM oauth_client_documents");
  CHECK(expires == 600'000);
  // The cached client is the validated one: its redirect URIs still bind.
  CHECK(authorize_as(dev.browser, kDocUrl, "https://elsewhere.example/cb").status == 400);
  CHECK(docs.seen.size() == 1);
  // Once expired, it is fetched again (and stored again).
  exec_sql(dev.host, "UPDATE oauth_client_documents SET expires_at = 1");
  CHECK(authorize_as(dev.browser, kDocUrl).status == 200);
  CHECK(docs.seen.size() == 2);
  CHECK(sql_int(dev.host, "SELECT COUNT(*) FROM oauth_client_documents WHERE expires_at > 1") == 1);
}

TEST_CASE("oauth/clients: no-store, no caching headers and refused documents are not cached",
          "[oauth][host]") {
  for (const char* cache_control :
       {"no-store", "max-age=600, no-cache", "private, max-age=600", ""}) {
    INFO(cache_control);
    FakeDocs docs;
    if (*cache_control != 0) docs.headers.emplace_back("cache-control", cache_control);
    SignedIn dev;
    serve(dev.host, docs);
    CHECK(authorize_as(dev.browser, kDocUrl).status == 200);
    CHECK(authorize_as(dev.browser, kDocUrl).status == 200);
    CHECK(docs.seen.size() == 2);
    CHECK(count(dev.host, "oauth_client_documents") == 0);
  }
  FakeDocs bad;
  bad.headers.emplace_back("cache-control", "max-age=600");
  bj::object doc = good_document();
  doc["client_id"] = "https://client.example.com/other.json";
  bad.body = bj::serialize(doc);
  SignedIn dev;
  serve(dev.host, bad);
  check_error_page(dev.host, authorize_as(dev.browser, kDocUrl));
  CHECK(count(dev.host, "oauth_client_documents") == 0);
}

TEST_CASE("oauth/clients: document fetches are limited per client address", "[oauth][host]") {
  FakeDocs docs;  // no caching headers: every authorization fetches
  auto host = make_runner_with({{"RATE_LIMIT_OAUTH_CLIENT_METADATA_PER_IP", "2"}});
  serve(host, docs);
  Browser b(host);
  b.dev_sign_in(kAlice);
  const auto from = [&](const std::string& ip) {
    return b.get(authorize_path({.client_id = kDocUrl, .challenge = new_pkce().challenge}),
                 {{"cf-connecting-ip", ip}});
  };
  const std::int64_t left = 60'000 - util::now_ms() % 60'000;
  if (left < 3'000) return;  // too close to the window's end to count reliably; rare
  CHECK(from("198.51.100.9").status == 200);
  CHECK(from("198.51.100.9").status == 200);
  auto r = from("198.51.100.9");
  CHECK(r.status == 429);
  CHECK_THAT(r.body, Catch::Contains("client metadata document fetch"));
  CHECK_FALSE(header(r, "retry-after").empty());
  CHECK(docs.seen.size() == 2);  // the refused request made no fetch
  CHECK(from("198.51.100.10").status == 200);
  CHECK(docs.seen.size() == 3);
}
