// Proxy policy without I/O (docs/proxy.md "The proxy", steps 3 and 4): IP
// hosts in every form a URL parser reads, the destination rules for base URLs
// and forward paths, the forwarded request headers and key injection.
// Runs on the host and inside wasm: no host-only includes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/proxy_support.hpp"
#include "worker/crypto/encoding.hpp"
#include "worker/proxy/ip.hpp"
#include "worker/proxy/policy.hpp"
#include "worker/proxy/request.hpp"
#include "worker/proxy/response.hpp"
#include "worker/vault/providers.hpp"

using namespace ve;
using namespace ve::proxy;
using ve::test::rule;

namespace {

/// "a.b.c.d" of an IPv4 (mapped) address, or "v6" / "none".
std::string v4_text(std::string_view host) {
  auto ip = parse_ip_host(host);
  if (!ip) return "none";
  if (!ip->v4) return "v6";
  return std::to_string(ip->bytes[12]) + "." + std::to_string(ip->bytes[13]) + "." +
         std::to_string(ip->bytes[14]) + "." + std::to_string(ip->bytes[15]);
}

bool host_public(std::string_view host) {
  auto ip = parse_ip_host(host);
  REQUIRE(ip.has_value());
  return is_public(*ip);
}

std::string base_error(std::string_view url, bool development = false) {
  auto r = check_base_url(url, development);
  return r.ok() ? std::string("ok") : r.error().code;
}

std::string path_error(std::string_view path) {
  auto r = check_forward_path(path);
  return r.ok() ? std::string("ok") : r.error().code;
}

std::string header_of(const async::Headers& h, std::string_view name) {
  for (const auto& [n, v] : h) {
    if (n == name) return v;
  }
  return "<absent>";
}

}  // namespace

TEST_CASE("proxy ip: WHATWG IPv4 forms", "[proxy][policy]") {
  CHECK(v4_text("127.0.0.1") == "127.0.0.1");
  CHECK(v4_text("127.1") == "127.0.0.1");
  CHECK(v4_text("127.0.1") == "127.0.0.1");
  CHECK(v4_text("0x7f.0.0.1") == "127.0.0.1");
  CHECK(v4_text("0x7F.1") == "127.0.0.1");
  CHECK(v4_text("0177.0.0.1") == "127.0.0.1");
  CHECK(v4_text("017700000001") == "127.0.0.1");
  CHECK(v4_text("2130706433") == "127.0.0.1");
  CHECK(v4_text("0x7f000001") == "127.0.0.1");
  CHECK(v4_text("10.0.0.1.") == "10.0.0.1");  // one trailing dot
  CHECK(v4_text("0x") == "0.0.0.0");
  CHECK(v4_text("0") == "0.0.0.0");
  CHECK(v4_text("4294967295") == "255.255.255.255");
  CHECK(v4_text("169.254.169.254") == "169.254.169.254");
  // Failures a URL parser reports too.
  CHECK(v4_text("4294967296") == "none");
  CHECK(v4_text("256.0.0.1") == "none");
  CHECK(v4_text("1.2.3.4.5") == "none");
  CHECK(v4_text("1.2.65536") == "none");
  CHECK(v4_text("08.0.0.1") == "none");  // 8 is not an octal digit
  CHECK(v4_text("1..2.3") == "none");
  CHECK(v4_text("0xg.1") == "none");
  CHECK(v4_text("99999999999999999999") == "none");
  // Names that do not end in a number are not addresses.
  CHECK(v4_text("api.openai.com") == "none");
  CHECK(v4_text("1.2.3.example") == "none");
}

TEST_CASE("proxy ip: IPv6 forms", "[proxy][policy]") {
  CHECK(v4_text("[::1]") == "v6");
  CHECK(v4_text("[::]") == "v6");
  CHECK(v4_text("[2606:4700::1111]") == "v6");
  CHECK(v4_text("[1:2:3:4:5:6:7:8]") == "v6");
  CHECK(v4_text("[::ffff:10.0.0.1]") == "v6");
  CHECK(v4_text("[1::]") == "v6");
  for (const char* bad :
       {"[]", "[:::]", "[1:::2]", "[1::2::3]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]",
        "[12345::]", "[1:]", "[:1]", "[::1%25eth0]", "[::ffff:1.2.3]", "[::ffff:01.2.3.4]",
        "[::1.2.3.4:5]", "[1::2:3:4:5:6:7:8]", "[::g]"}) {
    INFO(bad);
    CHECK(v4_text(bad) == "none");
  }
}

TEST_CASE("proxy ip: non-public ranges in every form", "[proxy][policy]") {
  for (const char* host : {"127.0.0.1",
                           "127.1",
                           "0x7f.0.0.1",
                           "2130706433",
                           "0",
                           "0.0.0.0",
                           "10.1.2.3",
                           "172.16.0.1",
                           "172.31.255.255",
                           "192.168.1.1",
                           "169.254.169.254",
                           "100.64.0.1",
                           "100.127.255.254",
                           "224.0.0.1",
                           "239.255.255.250",
                           "255.255.255.255",
                           "240.0.0.1",
                           "192.0.0.8",
                           "198.18.0.1",
                           "192.0.2.1",
                           "[::1]",
                           "[::]",
                           "[::ffff:10.0.0.1]",
                           "[::ffff:127.0.0.1]",
                           "[::ffff:7f00:1]",
                           "[::127.0.0.1]",
                           "[64:ff9b::a00:1]",
                           "[2002:7f00:1::]",
                           "[fc00::1]",
                           "[fd12:3456::1]",
                           "[fe80::1]",
                           "[febf::1]",
                           "[fec0::1]",
                           "[ff02::1]",
                           "[2001:db8::1]",
                           "[2001::1]",
                           "[100::1]",
                           "[3fff::1]"}) {
    INFO(host);
    CHECK_FALSE(host_public(host));
  }
  for (const char* host : {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                           "100.128.0.1", "169.253.1.1", "[2606:4700:4700::1111]",
                           "[::ffff:8.8.8.8]", "[2002:808:808::]", "[2001:4860:4860::8888]"}) {
    INFO(host);
    CHECK(host_public(host));
  }
}

TEST_CASE("proxy policy: base URL", "[proxy][policy]") {
  CHECK(base_error("https://api.openai.com") == "ok");
  CHECK(base_error("https://api.openai.com/v1") == "ok");
  CHECK(base_error("https://api.example.com:8443/v1/") == "ok");
  CHECK(base_error("https://8.8.8.8") == "ok");
  CHECK(base_error("https://[2606:4700:4700::1111]/x") == "ok");
  for (const char* bad : {"http://api.openai.com",
                          "ftp://api.openai.com",
                          "https://",
                          "https:///x",
                          "not a url",
                          "https://user:pw@api.example.com",
                          "https://api.example.com?x=1",
                          "https://api.example.com#f",
                          "https://localhost",
                          "https://LOCALHOST.",
                          "https://a.localhost",
                          "https://127.0.0.1",
                          "https://127.1",
                          "https://0x7f.0.0.1",
                          "https://2130706433",
                          "https://[::1]",
                          "https://[::ffff:10.0.0.1]",
                          "https://10.0.0.1:443",
                          "https://169.254.169.254/latest",
                          "https://0.0.0.0",
                          "https://1.2.3.4.5",
                          "https://api%2eexample.com",
                          "https://127.0.0.1%2e",
                          "http://127.0.0.1:8080"}) {
    INFO(bad);
    CHECK(base_error(bad) == "destination_refused");
  }
  // Development: plain http to exactly the loopback hosts tests use.
  CHECK(base_error("http://127.0.0.1:8080", true) == "ok");
  CHECK(base_error("http://localhost:8080/api", true) == "ok");
  CHECK(base_error("http://[::1]:9", true) == "ok");
  CHECK(base_error("http://127.1:8080", true) == "destination_refused");
  CHECK(base_error("http://10.0.0.1", true) == "destination_refused");
  CHECK(base_error("http://api.example.com", true) == "destination_refused");
  CHECK(base_error("https://127.0.0.1", true) == "destination_refused");
  // The message names the rule and never more than the host.
  auto r = check_base_url("https://10.0.0.1/secret-path", false);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().status == 403);
  CHECK(r.error().message.find("non-public") != std::string::npos);
  CHECK(r.error().message.find("secret-path") == std::string::npos);
}

TEST_CASE("proxy policy: forward path", "[proxy][policy]") {
  for (const char* ok :
       {"/", "/v1/models", "/v1/chat/completions?stream=false&x=a%20b",
        "/projects/group%2Fproject/issues", "/a/.well-known/x", "/a..b/c", "/v1/x?next=../y",
        "/search?q=@me", "/v1/x@y", "/cars;color=red/2024", "/a/...;x/b"}) {
    INFO(ok);
    CHECK(path_error(ok) == "ok");
  }
  for (const char* bad : {"",
                          "v1/models",
                          "//evil.example/x",
                          "/a/../b",
                          "/..",
                          "/a/..",
                          "/a/./b",
                          "/%2e%2e/x",
                          "/%2E%2e/x",
                          "/.%2e/x",
                          "/a/..%2fb",
                          "/a/%2e%2e%2fb",
                          "/a/..;/b",
                          "/a/..;jsessionid=x/b",
                          "/.;/x",
                          "/a/%2e%2e;x/b",
                          "/a\\b",
                          "/a%5c..%5cb",
                          "/x#frag",
                          "/x\ny",
                          "/x\ty",
                          "/x y",
                          "/x\x7f",
                          "/\xc3\xa9",
                          "/a%00b",
                          "@evil.example/x",
                          "evil.example/x"}) {
    INFO(bad);
    CHECK(path_error(bad) == "invalid_forward_path");
  }
  CHECK(path_error("/" + std::string(9000, 'a')) == "invalid_forward_path");
}

TEST_CASE("proxy policy: the final URL keeps the base URL's origin and path", "[proxy][policy]") {
  auto d = destination("https://api.example.com/v1/", "/chat?x=1", false);
  REQUIRE(d.ok());
  CHECK(d->url == "https://api.example.com/v1/chat?x=1");
  CHECK(d->host == "api.example.com");
  CHECK(d->path == "/v1/chat");
  auto port = destination("https://API.Example.com:8443", "/", false);
  REQUIRE(port.ok());
  CHECK(port->url == "https://API.Example.com:8443/");
  CHECK(port->host == "api.example.com:8443");
  // Tricks that would change the host or leave the base path are refused.
  for (const char* bad : {"//evil.example/x", "@evil.example/x", "/../admin", "/%2e%2e/admin",
                          "/x#@evil.example", "/x\\@evil.example"}) {
    INFO(bad);
    auto r = destination("https://api.example.com/v1", bad, false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
  }
  CHECK_FALSE(destination("https://10.0.0.1/v1", "/x", false).ok());
  CHECK(destination("http://127.0.0.1:9000", "/x", true).ok());
}

TEST_CASE("proxy request: stripped and forwarded headers", "[proxy][request]") {
  const async::Headers caller = {{"Authorization", "Bearer caller"},
                                 {"cookie", "a=b"},
                                 {"Proxy-Authorization", "x"},
                                 {"host", "evil"},
                                 {"content-length", "5"},
                                 {"Connection", "keep-alive, X-Custom-Hop"},
                                 {"keep-alive", "5"},
                                 {"te", "trailers"},
                                 {"trailer", "x"},
                                 {"transfer-encoding", "chunked"},
                                 {"upgrade", "h2c"},
                                 {"proxy-connection", "x"},
                                 {"x-custom-hop", "1"},
                                 {"X-Locker-Forward-Path", "/x"},
                                 {"x-locker-anything", "1"},
                                 {"CF-Connecting-IP", "1.2.3.4"},
                                 {"cf-ray", "x"},
                                 {"X-Forwarded-For", "1.2.3.4"},
                                 {"x-forwarded-proto", "https"},
                                 {"x-real-ip", "1.2.3.4"},
                                 {"forwarded", "for=1.2.3.4"},
                                 {"X-Api-Key", "caller-key"},
                                 {"Content-Type", "application/json"},
                                 {"Accept", "*/*"},
                                 {"anthropic-beta", "tools"}};
  const auto out = forwarded_request_headers(caller, "x-api-key");
  const async::Headers expected = {
      {"content-type", "application/json"}, {"accept", "*/*"}, {"anthropic-beta", "tools"}};
  CHECK(out == expected);
  // Without an injection header, x-api-key is an ordinary header.
  CHECK(header_of(forwarded_request_headers(caller, ""), "x-api-key") == "caller-key");
}

TEST_CASE("proxy request: header validation", "[proxy][request]") {
  CHECK(check_header("x-custom", "value").ok());
  CHECK_FALSE(check_header("", "v").ok());
  CHECK_FALSE(check_header("bad name", "v").ok());
  CHECK_FALSE(check_header("x:y", "v").ok());
  CHECK_FALSE(check_header("x", "a\r\nInjected: 1").ok());
  CHECK_FALSE(check_header("x", std::string("a\0b", 3)).ok());
  auto e = check_header("x-k", "secret\n");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("secret") == std::string::npos);
}

TEST_CASE("proxy request: injection for every auth kind", "[proxy][request]") {
  const std::string secret = "sk-test-abc/+=?&123";
  auto base = [] {
    async::FetchRequest f;
    f.url = "https://api.example.com/v1/x";
    f.headers = {{"authorization", "caller"}, {"accept", "*/*"}};
    return f;
  };
  SECTION("bearer") {
    auto f = base();
    inject(f, rule(vault::AuthKind::bearer), {}, secret);
    CHECK(header_of(f.headers, "authorization") == "Bearer " + secret);
    CHECK(f.url == "https://api.example.com/v1/x");
  }
  SECTION("header with and without prefix, static headers") {
    auto f = base();
    const vault::StaticHeader statics[] = {{"anthropic-version", "2023-06-01"}};
    f.headers.emplace_back("Anthropic-Version", "caller-version");
    inject(f, rule(vault::AuthKind::header, "x-api-key"), statics, secret);
    CHECK(header_of(f.headers, "x-api-key") == secret);
    CHECK(header_of(f.headers, "anthropic-version") == "2023-06-01");
    CHECK(header_of(f.headers, "Anthropic-Version") == "<absent>");
    auto g = base();
    inject(g, rule(vault::AuthKind::header, "authorization", "Bot "), {}, secret);
    CHECK(header_of(g.headers, "authorization") == "Bot " + secret);
  }
  SECTION("basic with a fixed username and without") {
    auto f = base();
    inject(f, rule(vault::AuthKind::basic, "", "", "", "api"), {}, secret);
    CHECK(header_of(f.headers, "authorization") ==
          "Basic " + crypto::base64_encode("api:" + secret));
    auto g = base();
    inject(g, rule(vault::AuthKind::basic), {}, "AC123:tok");
    CHECK(header_of(g.headers, "authorization") == "Basic " + crypto::base64_encode("AC123:tok"));
  }
  SECTION("query parameter, with or without an existing query") {
    const vault::Auth q = rule(vault::AuthKind::query, "", "", "api_key");
    const std::string enc = "sk-test-abc%2F%2B%3D%3F%26123";
    auto f = base();
    inject(f, q, {}, secret);
    CHECK(f.url == "https://api.example.com/v1/x?api_key=" + enc);
    CHECK(header_of(f.headers, "authorization") == "caller");  // untouched (stripped earlier)
    auto g = base();
    g.url += "?a=1";
    inject(g, q, {}, secret);
    CHECK(g.url == "https://api.example.com/v1/x?a=1&api_key=" + enc);
    auto h = base();
    h.url += "?";
    inject(h, q, {}, secret);
    CHECK(h.url == "https://api.example.com/v1/x?api_key=" + enc);
    auto i = base();
    i.url += "?a=1&";
    inject(i, q, {}, secret);
    CHECK(i.url == "https://api.example.com/v1/x?a=1&api_key=" + enc);
  }
  SECTION("catalog rules") {
    auto custom = vault::resolve_auth("custom", std::string_view("custom"));
    REQUIRE(custom.has_value());
    auto f = base();
    inject(f, *custom, {}, "Token abc");
    CHECK(header_of(f.headers, "authorization") == "Token abc");
    CHECK(injection_header(*custom) == "authorization");
    CHECK(injection_header(rule(vault::AuthKind::query, "", "", "key")).empty());
  }
}

TEST_CASE("proxy response: filtered headers", "[proxy][request]") {
  const async::Headers upstream = {{"Content-Type", "application/json"},
                                   {"Content-Length", "10"},
                                   {"content-encoding", "gzip"},
                                   {"Set-Cookie", "s=1"},
                                   {"set-cookie2", "x"},
                                   {"Connection", "close, X-Hop"},
                                   {"x-hop", "1"},
                                   {"Transfer-Encoding", "chunked"},
                                   {"keep-alive", "5"},
                                   {"proxy-authenticate", "Basic"},
                                   {"x-locker-redacted", "99"},
                                   {"x-request-id", "abc"},
                                   {"Location", "https://x"}};
  const async::Headers expected = {
      {"content-type", "application/json"}, {"x-request-id", "abc"}, {"location", "https://x"}};
  CHECK(forwarded_response_headers(upstream) == expected);
}
