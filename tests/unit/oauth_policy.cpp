// OAuth policy without I/O (docs/oauth.md "Rules"): URI parsing, IP-literal
// detection, redirect-URI registration and matching, scope parsing, the
// Client ID Metadata Document URL guard and client metadata validation, the
// parameter parser and JSON check that refuse repeated names, and the HTTP
// freshness lifetime of fetched metadata documents.
// Runs on the host and inside wasm: no host-only includes.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "worker/config/config.hpp"
#include "worker/oauth/clients.hpp"
#include "worker/oauth/freshness.hpp"
#include "worker/oauth/json_members.hpp"
#include "worker/oauth/params.hpp"
#include "worker/oauth/redirect_uri.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/uri.hpp"

using namespace ve;
using namespace ve::oauth;
namespace bj = boost::json;

namespace {

config::Config config_for(const char* environment) {
  config::Config c;
  c.environment = environment;
  return c;
}

/// parse_scope's scopes, or "error:<code>" when it refused.
std::vector<std::string> scopes_or_error(std::string_view scope) {
  auto r = parse_scope(scope);
  if (!r.ok()) return {"error:" + r.error().code};
  return r.value();
}

/// client_from_metadata's error code for `json`, or "ok".
std::string metadata_verdict(const std::string& json, bool from_document) {
  auto r = client_from_metadata(bj::parse(json).as_object(), from_document);
  return r.ok() ? std::string("ok") : r.error().code;
}

constexpr const char* kGoodRedirects = R"("redirect_uris":["https://app.example/cb"])";

std::string doc(const std::string& members) {
  return std::string("{") + kGoodRedirects + (members.empty() ? "" : ",") + members + "}";
}

}  // namespace

TEST_CASE("oauth/policy: parse_uri splits scheme, authority, host, port, path", "[oauth]") {
  auto u = parse_uri("HTTPS://Example.COM:8443/Path/x?q=1#frag");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->authority == "Example.COM:8443");
  CHECK(u->host == "example.com");
  CHECK(u->port == "8443");
  CHECK(u->path == "/Path/x");
  CHECK(u->has_query);
  CHECK(u->has_fragment);
  CHECK_FALSE(u->has_userinfo);

  auto native = parse_uri("cursor://anysphere.cursor-retrieval/oauth/callback");
  REQUIRE(native);
  CHECK(native->scheme == "cursor");
  CHECK(native->host == "anysphere.cursor-retrieval");

  auto opaque = parse_uri("com.example.app:/callback");
  REQUIRE(opaque);
  CHECK(opaque->scheme == "com.example.app");
  CHECK(opaque->authority.empty());
  CHECK(opaque->path == "/callback");
}

TEST_CASE("oauth/policy: parse_uri reads IPv6, userinfo, empty ports", "[oauth]") {
  auto v6 = parse_uri("http://[::1]:33418/callback");
  REQUIRE(v6);
  CHECK(v6->host == "[::1]");
  CHECK(v6->port == "33418");

  auto bare_v6 = parse_uri("http://[fe80::1]/x");
  REQUIRE(bare_v6);
  CHECK(bare_v6->host == "[fe80::1]");
  CHECK(bare_v6->port.empty());

  auto user = parse_uri("https://user:pw@good.example/x");
  REQUIRE(user);
  CHECK(user->has_userinfo);
  CHECK(user->host == "good.example");

  // The last '@' ends the userinfo; a '@' after '#' or '?' is not in the authority.
  auto tricky = parse_uri("https://a@b@evil.example/x");
  REQUIRE(tricky);
  CHECK(tricky->host == "evil.example");
  auto in_fragment = parse_uri("https://good.example#@evil.example/x");
  REQUIRE(in_fragment);
  CHECK(in_fragment->host == "good.example");
  CHECK_FALSE(in_fragment->has_userinfo);
  CHECK(in_fragment->has_fragment);
}

TEST_CASE("oauth/policy: parse_uri refuses malformed URIs", "[oauth]") {
  for (std::string bad : {"", "no-scheme", ":nothing", "1http://x/", "ht tp://x/", "h_t://x/",
                          "https://x/ a", "https://x/\tb", "https://x/\x7f", "https://x\\@y/",
                          "https://h\xc3\xa9.example/", "http://[::1/x", "http://[::1]x/",
                          "https://x:8a/", "https://x:123456/", "https://x/\r\n"}) {
    INFO(bad);
    CHECK_FALSE(parse_uri(bad));
  }
  CHECK_FALSE(parse_uri(std::string("https://x/\0", 11)));
  const std::string prefix = "https://example.com/";
  CHECK(parse_uri(prefix + std::string(2048 - prefix.size(), 'a')));
  CHECK_FALSE(parse_uri(prefix + std::string(2049 - prefix.size(), 'a')));
}

TEST_CASE("oauth/policy: is_ip_literal reads every form a URL parser reads as an address",
          "[oauth]") {
  for (const char* ip :
       {"127.0.0.1", "127.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "0x7f000001", "10.0.0.5",
        "169.254.169.254", "[::1]", "[::ffff:127.0.0.1]", "1.2.3.4.", "example.123", "a.0X1F"}) {
    INFO(ip);
    CHECK(is_ip_literal(ip));
  }
  for (const char* name : {"example.com", "1example.com", "127.0.0.1.example.com", "localhost",
                           "0xg", "example.com.", "", "x1", "a.b-1"}) {
    INFO(name);
    CHECK_FALSE(is_ip_literal(name));
  }
}

TEST_CASE("oauth/policy: redirect_uri_problem allows https, loopback http, native schemes",
          "[oauth]") {
  for (const char* ok :
       {"https://claude.ai/api/mcp/auth_callback", "https://app.example:8443/cb?x=1",
        "http://127.0.0.1/callback", "http://127.0.0.1:33418/callback", "http://localhost:8080/cb",
        "http://[::1]:9/cb", "HTTP://127.0.0.1:1/cb",
        "cursor://anysphere.cursor-retrieval/oauth/callback", "com.example.app:/callback",
        "com.example.app://oauth/cb", "vscode://vscode.mcp/cb",
        "vscode-insiders://vscode.mcp/cb"}) {
    INFO(ok);
    CHECK_FALSE(redirect_uri_problem(ok));
  }
}

TEST_CASE("oauth/policy: redirect_uri_problem refuses everything else", "[oauth]") {
  for (const char* bad :
       {"http://example.com/cb", "http://10.0.0.5/cb", "http://127.0.0.1.nip.io/cb",
        "http://localhost.evil.example/cb", "http://127.0.0.1@evil.example/cb",
        "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
        "file:///etc/passwd", "vbscript:msgbox", "blob:https://a.example/x", "about:blank",
        "ws://127.0.0.1/x", "wss://a.example/x", "ftp://a.example/x",
        // Not on the allowlist: dotless schemes of no known client.
        "view-source:https://a.example/", "jar:https://a.example/x.jar!/",
        "intent://a.example/#Intent;scheme=https;end", "intent://cb", "myapp://cb", "x-callback:cb",
        "cursorx://cb", ".app:/cb", "app.:/cb", "com..example:/cb", "https://app.example/cb#x",
        "https://app.example/cb#", "http://127.0.0.1:5/cb#frag", "https://user@app.example/cb",
        "https:///cb", "https:cb", "relative/path", "", "https://app.example/c b"}) {
    INFO(bad);
    auto problem = redirect_uri_problem(bad);
    REQUIRE(problem);
    CHECK_FALSE(problem->empty());
  }
}

TEST_CASE("oauth/policy: is_reverse_domain_scheme wants two non-empty labels", "[oauth]") {
  for (const char* ok : {"com.example.app", "io.github.user", "a.b", "com.example-app.x"}) {
    INFO(ok);
    CHECK(is_reverse_domain_scheme(ok));
  }
  for (const char* bad : {"cursor", "", ".", ".app", "app.", "com..example", "view-source"}) {
    INFO(bad);
    CHECK_FALSE(is_reverse_domain_scheme(bad));
  }
}

TEST_CASE("oauth/policy: redirect_uri_matches is exact except a loopback port", "[oauth]") {
  struct Case {
    const char* registered;
    const char* presented;
    bool match;
  };
  const Case cases[] = {
      {"https://claude.ai/api/mcp/auth_callback", "https://claude.ai/api/mcp/auth_callback", true},
      {"http://127.0.0.1/callback", "http://127.0.0.1:54321/callback", true},
      {"http://127.0.0.1:1000/callback", "http://127.0.0.1:2000/callback", true},
      {"http://127.0.0.1:1000/callback", "http://127.0.0.1/callback", true},
      {"http://[::1]:1/cb", "http://[::1]:2/cb", true},
      {"http://localhost:1/cb?a=1", "http://localhost:2/cb?a=1", true},
      {"cursor://x/cb", "cursor://x/cb", true},
      // Path, query and host must not differ, on any port.
      {"http://127.0.0.1:1000/callback", "http://127.0.0.1:2000/callback2", false},
      {"http://127.0.0.1:1000/callback", "http://127.0.0.1:1000/Callback", false},
      {"http://127.0.0.1:1/cb?a=1", "http://127.0.0.1:2/cb?a=2", false},
      {"http://127.0.0.1:1/cb", "http://127.0.0.1:2/cb?x=1", false},
      {"http://127.0.0.1:1/cb", "http://127.0.0.1:2/cb#f", false},
      {"http://127.0.0.1:1/cb", "http://localhost:1/cb", false},
      {"http://127.0.0.1/cb", "http://127.0.0.1:80@evil.example/cb", false},
      // Only loopback http ports may differ.
      {"https://app.example/cb", "https://app.example:8443/cb", false},
      {"https://app.example:443/cb", "https://app.example/cb", false},
      {"https://127.0.0.1/cb", "https://127.0.0.1:8443/cb", false},
      {"https://app.example/cb", "https://app.example/cb/", false},
      {"https://app.example/cb", "https://app.example/cb?x=1", false},
      {"cursor://x/cb", "cursor://y/cb", false},
  };
  for (const auto& c : cases) {
    INFO(c.registered << " vs " << c.presented);
    CHECK(redirect_uri_matches(c.registered, c.presented) == c.match);
  }
  CHECK(redirect_uri_allowed({"https://a.example/cb", "http://127.0.0.1/cb"},
                             "http://127.0.0.1:9/cb"));
  CHECK_FALSE(redirect_uri_allowed({"https://a.example/cb"}, "https://b.example/cb"));
  CHECK_FALSE(redirect_uri_allowed({}, "https://a.example/cb"));
}

TEST_CASE("oauth/policy: parse_scope defaults, adds the base scope, dedupes and orders",
          "[oauth]") {
  using V = std::vector<std::string>;
  CHECK(scopes_or_error("") == V{"vault:read", "vault:write"});
  CHECK(scopes_or_error("vault:read") == V{"vault:read"});
  CHECK(scopes_or_error("vault:proxy") == V{"vault:read", "vault:proxy"});
  CHECK(scopes_or_error("vault:write") == V{"vault:read", "vault:write"});
  CHECK(scopes_or_error("vault:proxy vault:write vault:read") ==
        V{"vault:read", "vault:write", "vault:proxy"});
  CHECK(scopes_or_error("vault:write vault:write  vault:read vault:write") ==
        V{"vault:read", "vault:write"});
  CHECK(join_scopes({"vault:read", "vault:proxy"}) == "vault:read vault:proxy");
}

TEST_CASE("oauth/policy: parse_scope refuses unknown scopes with invalid_scope", "[oauth]") {
  for (const std::string& bad :
       std::vector<std::string>{"vault:admin", "vault:read vault:admin", "VAULT:READ", "openid",
                                "vault:read\tvault:write", std::string(1025, 'a')}) {
    INFO(bad);
    auto r = parse_scope(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    CHECK(r.error().code == "invalid_scope");
  }
  auto r = parse_scope("vault:read vault:admin");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("vault:admin"));
  CHECK_THAT(r.error().message, Catch::Contains("vault:proxy"));
}

TEST_CASE("oauth/policy: metadata_url_problem accepts https document URLs with a path", "[oauth]") {
  const auto production = config_for("production");
  const auto development = config_for("development");
  for (const char* ok : {"https://client.example.com/oauth/client.json",
                         "https://client.example.com:8443/c.json", "https://app.example/x"}) {
    INFO(ok);
    CHECK_FALSE(metadata_url_problem(production, ok));
    CHECK_FALSE(metadata_url_problem(development, ok));
  }
}

TEST_CASE("oauth/policy: metadata_url_problem allows http loopback only in development",
          "[oauth]") {
  const auto production = config_for("production");
  const auto development = config_for("development");
  for (const char* loopback : {"http://127.0.0.1:8123/client.json", "http://127.0.0.1/x",
                               "http://[::1]:9/c.json", "http://localhost:8123/c.json"}) {
    INFO(loopback);
    CHECK(metadata_url_problem(production, loopback));
    CHECK_FALSE(metadata_url_problem(development, loopback));
  }
  for (const char* bad : {"http://client.example.com/c.json", "http://10.0.0.5/c.json",
                          "http://127.0.0.1:8123/", "http://127.0.0.1:8123/c.json?x=1"}) {
    INFO(bad);
    CHECK(metadata_url_problem(production, bad));
    CHECK(metadata_url_problem(development, bad));
  }
}

TEST_CASE("oauth/policy: metadata_url_problem refuses addresses, local names and odd parts",
          "[oauth]") {
  const auto production = config_for("production");
  const auto development = config_for("development");
  for (const char* bad : {"https://127.0.0.1/c.json",
                          "https://127.1/c.json",
                          "https://0x7f.0.0.1/c.json",
                          "https://2130706433/c.json",
                          "https://10.0.0.5/c.json",
                          "https://169.254.169.254/x",
                          "https://[::1]/c.json",
                          "https://[fd00::1]/c.json",
                          "https://localhost/c.json",
                          "https://LOCALHOST/c.json",
                          "https://app.localhost/c.json",
                          "https://printer.local/c.json",
                          "https://metadata.google.internal/c.json",
                          "https://u:p@client.example.com/c.json",
                          "https://client.example.com@evil.example/c.json",
                          "https://client.example.com/c.json?x=1",
                          "https://client.example.com/c.json#f",
                          "https://client.example.com/",
                          "https://client.example.com",
                          "ftp://client.example.com/c.json",
                          "client.example.com/c",
                          "https:///c.json"}) {
    INFO(bad);
    CHECK(metadata_url_problem(production, bad));
    CHECK(metadata_url_problem(development, bad));
  }
}

TEST_CASE("oauth/policy: metadata_url_problem refuses local names written another way", "[oauth]") {
  // A fully qualified name with its trailing dot, and percent-encoded hosts
  // (a WHATWG URL parser decodes them to localhost / 127.0.0.1).
  const auto production = config_for("production");
  for (const char* bad : {"https://localhost./c.json", "https://printer.local./c.json",
                          "https://metadata.google.internal./c.json", "https://127.0.0.1%2e/c.json",
                          "https://%6cocalhost/c.json"}) {
    INFO(bad);
    CHECK(metadata_url_problem(production, bad));
  }
}

TEST_CASE("oauth/policy: client_from_metadata requires redirect_uris", "[oauth]") {
  for (bool document : {true, false}) {
    INFO("from_document " << document);
    CHECK(metadata_verdict(R"({"client_name":"x"})", document) == "invalid_redirect_uri");
    CHECK(metadata_verdict(R"({"redirect_uris":[]})", document) == "invalid_redirect_uri");
    CHECK(metadata_verdict(R"({"redirect_uris":"https://a.example/cb"})", document) ==
          "invalid_redirect_uri");
    CHECK(metadata_verdict(R"({"redirect_uris":[42]})", document) == "invalid_redirect_uri");
    CHECK(metadata_verdict(R"({"redirect_uris":["http://example.com/cb"]})", document) ==
          "invalid_redirect_uri");
    CHECK(metadata_verdict(R"j({"redirect_uris":["javascript:alert(1)"]})j", document) ==
          "invalid_redirect_uri");
    bj::array eleven;
    for (int i = 0; i < 11; ++i) eleven.emplace_back("https://a.example/cb" + std::to_string(i));
    CHECK(metadata_verdict(bj::serialize(bj::object{{"redirect_uris", eleven}}), document) ==
          "invalid_redirect_uri");
    eleven.pop_back();
    CHECK(metadata_verdict(bj::serialize(bj::object{{"redirect_uris", eleven}}), document) == "ok");
  }
}

TEST_CASE("oauth/policy: client_from_metadata takes only public clients from documents",
          "[oauth]") {
  const std::string basic = doc(R"("token_endpoint_auth_method":"client_secret_basic")");
  CHECK(metadata_verdict(basic, true) == "invalid_client_metadata");
  CHECK(metadata_verdict(basic, false) == "ok");  // a registration is answered "none"
  CHECK(metadata_verdict(doc(R"("token_endpoint_auth_method":"none")"), true) == "ok");
  CHECK(metadata_verdict(doc(R"("token_endpoint_auth_method":7)"), false) ==
        "invalid_client_metadata");
}

TEST_CASE("oauth/policy: client_from_metadata checks grant and response types", "[oauth]") {
  CHECK(metadata_verdict(doc(R"("grant_types":["authorization_code","refresh_token"])"), true) ==
        "ok");
  CHECK(metadata_verdict(doc(R"("grant_types":["client_credentials"])"), false) ==
        "invalid_client_metadata");
  CHECK(metadata_verdict(doc(R"("grant_types":["authorization_code","implicit"])"), true) ==
        "invalid_client_metadata");
  CHECK(metadata_verdict(doc(R"("grant_types":"authorization_code")"), false) ==
        "invalid_client_metadata");
  CHECK(metadata_verdict(doc(R"("response_types":["code"])"), true) == "ok");
  CHECK(metadata_verdict(doc(R"("response_types":["token"])"), false) == "invalid_client_metadata");
}

TEST_CASE("oauth/policy: client_from_metadata checks names and self-declared URIs", "[oauth]") {
  CHECK(metadata_verdict(doc(R"("logo_uri":"https://app.example/logo.png")"), true) == "ok");
  CHECK(metadata_verdict(doc(R"("logo_uri":"http://app.example/logo.png")"), true) ==
        "invalid_client_metadata");
  CHECK(metadata_verdict(doc(R"("logo_uri":"data:image/png;base64,AAAA")"), false) ==
        "invalid_client_metadata");
  CHECK(metadata_verdict(doc(R"j("client_uri":"javascript:alert(1)")j"), false) ==
        "invalid_client_metadata");
  const std::string hundred(100, 'n');
  CHECK(metadata_verdict(doc(R"("client_name":")" + hundred + "\""), true) == "ok");
  CHECK(metadata_verdict(doc(R"("client_name":")" + hundred + "n\""), true) ==
        "invalid_client_metadata");
  CHECK(metadata_verdict(doc(R"("client_name":["x"])"), false) == "invalid_client_metadata");

  auto logo = client_from_metadata(
      bj::parse(doc(R"("logo_uri":"http://app.example/logo.png")")).as_object(), true);
  REQUIRE_FALSE(logo.ok());
  CHECK_THAT(logo.error().message, Catch::Contains("logo_uri"));
  CHECK(logo.error().status == 400);
}

TEST_CASE("oauth/policy: client_from_metadata keeps the declared fields", "[oauth]") {
  auto c = client_from_metadata(
      bj::parse(R"({"redirect_uris":["https://app.example/cb","http://127.0.0.1/cb"],)"
                R"("client_name":"Example App","client_uri":"https://app.example",)"
                R"("logo_uri":"https://app.example/l.png","software_id":"ex",)"
                R"("software_version":"1.2"})")
          .as_object(),
      true);
  REQUIRE(c.ok());
  CHECK(c->name == "Example App");
  CHECK(c->client_uri == "https://app.example");
  CHECK(c->logo_uri == "https://app.example/l.png");
  CHECK(c->redirect_uris ==
        std::vector<std::string>{"https://app.example/cb", "http://127.0.0.1/cb"});
  CHECK(c->software_id == "ex");
  CHECK(c->software_version == "1.2");
  CHECK(c->from_document);

  auto unnamed = client_from_metadata(bj::parse(doc("")).as_object(), false);
  REQUIRE(unnamed.ok());
  CHECK(unnamed->name == "Unnamed client");
  CHECK_FALSE(unnamed->from_document);
}

TEST_CASE("oauth/policy: parse_params decodes and refuses a repeated name", "[oauth]") {
  auto ok = parse_params("a=1&b=x+y&c=%2F&&d&e=");
  REQUIRE(ok.ok());
  CHECK(ok.value() == Params{{"a", "1"}, {"b", "x y"}, {"c", "/"}, {"d", ""}, {"e", ""}});
  CHECK(parse_params("").ok());
  for (const char* bad :
       {"client_id=evil&client_id=real", "client_id=&client_id=real", "client_id=a&client%5Fid=b",
        "x=1&redirect_uri=a&redirect_uri=a", "d&d"}) {
    INFO(bad);
    auto r = parse_params(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    CHECK(r.error().code == "invalid_request");
    CHECK(r.error().message.find("RFC 6749 §3.1") != std::string::npos);
  }
  auto named = parse_params("scope=a&state=s&scope=b");
  REQUIRE_FALSE(named.ok());
  CHECK(named.error().message.find("'scope'") != std::string::npos);
}

TEST_CASE("oauth/policy: query_of is what follows '?' up to '#'", "[oauth]") {
  CHECK(query_of("https://h/p?a=1&b=2") == "a=1&b=2");
  CHECK(query_of("https://h/p?a=1#f?x") == "a=1");
  CHECK(query_of("https://h/p").empty());
  CHECK(query_of("https://h/p?").empty());
}

TEST_CASE("oauth/policy: parse_http_date reads the three HTTP-date forms", "[oauth]") {
  // RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms.
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777000LL);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777000LL);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == 784111777000LL);
  CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  CHECK(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT") == 1835481599000LL);
  for (const char* bad :
       {"", "0", "-1", "Sun, 06 Nov 1994 08:49:37 UTC", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT trailing"}) {
    INFO(bad);
    CHECK_FALSE(parse_http_date(bad));
  }
}

TEST_CASE("oauth/policy: document_lifetime_ms follows the response's caching headers", "[oauth]") {
  const std::int64_t now = 784111777000LL;  // Sun, 06 Nov 1994 08:49:37 GMT
  const auto life = [&](const async::Headers& h) { return document_lifetime_ms(h, now); };
  CHECK(life({}) == 0);  // no heuristic freshness
  CHECK(life({{"cache-control", "max-age=300"}}) == 300'000);
  CHECK(life({{"Cache-Control", "public, max-age=\"60\""}}) == 60'000);
  CHECK(life({{"cache-control", "max-age=600, s-maxage=120"}}) == 120'000);
  CHECK(life({{"cache-control", "max-age=0"}}) == 0);
  CHECK(life({{"cache-control", "max-age=31536000"}}) == kMaxDocumentLifetimeMs);
  CHECK(life({{"cache-control", "max-age=99999999999999999999"}}) == 0);  // malformed
  CHECK(life({{"cache-control", "max-age=-5"}}) == 0);
  CHECK(life({{"cache-control", "max-age=ten"}}) == 0);
  for (const char* never : {"no-store", "no-cache", "private", "max-age=600, no-store", "No-Store",
                            "private, max-age=600"}) {
    INFO(never);
    CHECK(life({{"cache-control", never}}) == 0);
  }
  // Two Cache-Control lines are one list.
  CHECK(life({{"cache-control", "max-age=600"}, {"cache-control", "no-store"}}) == 0);
  // Expires, relative to Date (else now); unreadable or past: not fresh.
  CHECK(life({{"expires", "Sun, 06 Nov 1994 09:49:37 GMT"}}) == 3'600'000);
  CHECK(life({{"expires", "Sun, 06 Nov 1994 09:49:37 GMT"},
              {"date", "Sun, 06 Nov 1994 09:19:37 GMT"}}) == 1'800'000);
  CHECK(life({{"expires", "0"}}) == 0);
  CHECK(life({{"expires", "Sat, 05 Nov 1994 08:49:37 GMT"}}) == 0);
  CHECK(life({{"expires", "Sun, 06 Nov 2094 08:49:37 GMT"}}) == kMaxDocumentLifetimeMs);
  // max-age wins over Expires (RFC 9111 §5.3).
  CHECK(life({{"cache-control", "max-age=60"}, {"expires", "Sun, 06 Nov 1994 09:49:37 GMT"}}) ==
        60'000);
  // Age is what the response already spent in caches on its way.
  CHECK(life({{"cache-control", "max-age=300"}, {"age", "100"}}) == 200'000);
  CHECK(life({{"cache-control", "max-age=300"}, {"age", "400"}}) == 0);
}

TEST_CASE("oauth/policy: repeated_member finds a name given twice in one object", "[oauth]") {
  CHECK_FALSE(repeated_member(R"({"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]})"));
  CHECK_FALSE(repeated_member("{}"));
  CHECK_FALSE(repeated_member("not json"));
  CHECK_FALSE(repeated_member(R"({"a":1,)"));
  CHECK(repeated_member(R"({"redirect_uris":["https://a/cb"],"redirect_uris":["https://b/cb"]})") ==
        "redirect_uris");
  CHECK(repeated_member(R"({"x":{"k":1,"k":2}})") == "k");
  CHECK(repeated_member(R"({"client_id":"a","client\u005fid":"b"})") == "client_id");
  CHECK(repeated_member(R"([{"a":1,"b":2,"a":3}])") == "a");
}
