// The proxy end to end (docs/proxy.md "The proxy") through the real router on
// real SQLite, with the host's fetch answered by a fake upstream: every
// injection style as the provider receives it, the headers never forwarded,
// redaction of every echoed form, each policy refusal (with no fetch where the
// policy refuses), limits, one audit row per call, and proxy_request over MCP.
// The keys here are test values, never printed: checks compare positions.
#include <sqlite3.h>

#include <array>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/mcp_core_support.hpp"
#include "tests/unit/host/mcp_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/crypto/encoding.hpp"
#include "worker/crypto/envelope.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/message.hpp"

using namespace ve;
using namespace ve::test;
namespace bj = boost::json;

namespace {

constexpr const char* kSecret = "sk-test-PROXY-0123456789abcdef";
constexpr const char* kOrigin = "http://127.0.0.1:8787";

/// A scriptable provider: records every request; answers with `answer` or,
/// by default, 200 {"ok":true}.
struct FakeUpstream {
  std::vector<async::FetchRequest> seen;
  std::function<async::EffectResult(const async::FetchRequest&)> answer;

  async::EffectResult operator()(const async::FetchRequest& f) {
    seen.push_back(f);
    if (answer) return answer(f);
    return ok(200, R"({"ok":true})");
  }

  static async::EffectResult ok(int status, std::string body, async::Headers headers = {}) {
    async::EffectResult r;
    r.ok = true;
    if (headers.empty()) headers = {{"content-type", "application/json"}};
    r.value = async::FetchResponse{status, std::move(headers), std::move(body)};
    return r;
  }
  static async::EffectResult failed(std::string error) {
    async::EffectResult r;
    r.ok = false;
    r.error = std::move(error);
    return r;
  }
};

/// Installs `fake` as the host's fetch (the runner keeps a reference).
void attach(host::HostRunner& host, FakeUpstream& fake) {
  host.set_fetch([&fake](const async::FetchRequest& f) { return fake(f); });
}

void exec_sql(host::HostRunner& host, const std::string& sql) {
  REQUIRE(sqlite3_exec(host.db(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
}

/// POST /v1/keys with extra fields; returns the key id.
std::string store(host::HostRunner& host, const VaultUser& u, const std::string& name,
                  const std::string& value, const std::string& provider,
                  const bj::object& extra = {}) {
  bj::object body{
      {"name", name}, {"provider", provider}, {"credential_type", "api_key"}, {"key", value}};
  for (auto& [k, v] : extra) body[k] = v;
  auto r = call(host, u, "POST", "/v1/keys", bj::value(body));
  INFO(r.body);
  REQUIRE(r.status == 201);
  return std::string(body_json(r).at("id").as_string());
}

/// A request as `u` with the CLI's bearer plus `headers`.
http::Response proxy(host::HostRunner& host, const VaultUser& u, const std::string& method,
                     const std::string& path, async::Headers headers = {}, std::string body = "") {
  headers.emplace_back("authorization", "Bearer " + u.token);
  return host.request(method, std::string(kOrigin) + path, std::move(body), std::move(headers));
}

std::string header(const async::Headers& h, std::string_view name) {
  auto v = http::find_header(h, name);
  return v ? std::string(*v) : std::string("<absent>");
}

std::string error_code(const http::Response& r) {
  auto v = body_json(r);
  const auto* c = v.as_object().if_contains("code");
  return c != nullptr && c->is_string() ? std::string(c->as_string()) : std::string("<none>");
}

std::string error_message(const http::Response& r) {
  auto v = body_json(r);
  const auto* m = v.as_object().if_contains("error");
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::int64_t proxy_rows(host::HostRunner& host) {
  return scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'key.proxy'");
}

}  // namespace

TEST_CASE("proxy: every injection style arrives as the provider expects", "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "inject@example.com");
  const std::string secret = kSecret;

  SECTION("bearer (openai), path form with the raw query string") {
    store(host, u, "OPENAI_API_KEY", secret, "openai");
    auto r = proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/v1/models?limit=2&q=a%20b");
    CHECK(r.status == 200);
    REQUIRE(fake.seen.size() == 1);
    CHECK(fake.seen[0].method == "GET");
    CHECK(fake.seen[0].url == "https://api.openai.com/v1/models?limit=2&q=a%20b");
    CHECK(header(fake.seen[0].headers, "authorization") == "Bearer " + secret);
    CHECK(fake.seen[0].timeout_ms == 30000);
    CHECK(fake.seen[0].max_response_bytes == 4u * 1024 * 1024);
  }
  SECTION("x-api-key header with the provider's static header (anthropic), header form") {
    store(host, u, "ANTHROPIC_API_KEY", secret, "anthropic");
    auto r = proxy(host, u, "POST", "/v1/proxy/ANTHROPIC_API_KEY",
                   {{"x-locker-forward-path", "/v1/messages"},
                    {"content-type", "application/json"},
                    {"anthropic-version", "1999-01-01"}},
                   R"({"model":"m"})");
    CHECK(r.status == 200);
    REQUIRE(fake.seen.size() == 1);
    CHECK(fake.seen[0].method == "POST");
    CHECK(fake.seen[0].url == "https://api.anthropic.com/v1/messages");
    CHECK(header(fake.seen[0].headers, "x-api-key") == secret);
    CHECK(header(fake.seen[0].headers, "anthropic-version") == "2023-06-01");
    CHECK(header(fake.seen[0].headers, "authorization") == "<absent>");
    CHECK(header(fake.seen[0].headers, "content-type") == "application/json");
    CHECK(fake.seen[0].body == R"({"model":"m"})");
  }
  SECTION("header with a prefix (discord)") {
    store(host, u, "DISCORD_BOT_TOKEN", secret, "discord");
    CHECK(proxy(host, u, "GET", "/v1/proxy/DISCORD_BOT_TOKEN/users/@me").status == 200);
    REQUIRE(fake.seen.size() == 1);
    CHECK(header(fake.seen[0].headers, "authorization") == "Bot " + secret);
    CHECK(fake.seen[0].url == "https://discord.com/api/users/@me");
  }
  SECTION("basic with a fixed username (mailgun) and without (twilio)") {
    store(host, u, "MAILGUN_API_KEY", secret, "mailgun");
    store(host, u, "TWILIO_AUTH", "AC0123:" + secret, "twilio");
    CHECK(proxy(host, u, "GET", "/v1/proxy/MAILGUN_API_KEY/v3/domains").status == 200);
    CHECK(proxy(host, u, "GET", "/v1/proxy/TWILIO_AUTH/2010-04-01/Accounts.json").status == 200);
    REQUIRE(fake.seen.size() == 2);
    CHECK(header(fake.seen[0].headers, "authorization") ==
          "Basic " + crypto::base64_encode("api:" + secret));
    CHECK(header(fake.seen[1].headers, "authorization") ==
          "Basic " + crypto::base64_encode("AC0123:" + secret));
  }
  SECTION("query parameter, with and without a query already there") {
    store(host, u, "CUSTOM_QUERY", "k/+=1-key", "custom",
          {{"base_url", "https://api.example.com/v2"}, {"auth_header_type", "query"}});
    CHECK(proxy(host, u, "GET", "/v1/proxy/CUSTOM_QUERY/items").status == 200);
    CHECK(proxy(host, u, "GET", "/v1/proxy/CUSTOM_QUERY/items?page=2").status == 200);
    CHECK(proxy(host, u, "POST", "/v1/proxy/CUSTOM_QUERY",
                {{"x-locker-forward-path", "/items?a=1&b=2"}})
              .status == 200);
    REQUIRE(fake.seen.size() == 3);
    CHECK(fake.seen[0].url == "https://api.example.com/v2/items?api_key=k%2F%2B%3D1-key");
    CHECK(fake.seen[1].url == "https://api.example.com/v2/items?page=2&api_key=k%2F%2B%3D1-key");
    CHECK(fake.seen[2].url == "https://api.example.com/v2/items?a=1&b=2&api_key=k%2F%2B%3D1-key");
    CHECK(header(fake.seen[0].headers, "authorization") == "<absent>");
  }
  SECTION("custom: the value is the whole Authorization header") {
    store(host, u, "CUSTOM_RAW", "Token " + secret, "custom",
          {{"base_url", "https://api.example.com"}, {"auth_header_type", "custom"}});
    CHECK(proxy(host, u, "DELETE", "/v1/proxy/CUSTOM_RAW/things/1").status == 200);
    REQUIRE(fake.seen.size() == 1);
    CHECK(fake.seen[0].method == "DELETE");
    CHECK(header(fake.seen[0].headers, "authorization") == "Token " + secret);
  }
}

TEST_CASE("proxy: stripped headers never reach the provider", "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "strip@example.com");
  store(host, u, "ANTHROPIC_API_KEY", kSecret, "anthropic");
  auto r = proxy(host, u, "POST", "/v1/proxy/ANTHROPIC_API_KEY",
                 {{"x-locker-forward-path", "/v1/messages"},
                  {"cookie", "session=1"},
                  {"proxy-authorization", "Basic eA=="},
                  {"connection", "x-hop-one"},
                  {"x-hop-one", "1"},
                  {"keep-alive", "1"},
                  {"te", "trailers"},
                  {"upgrade", "websocket"},
                  {"x-locker-debug", "1"},
                  {"cf-connecting-ip", "1.2.3.4"},
                  {"x-forwarded-for", "1.2.3.4"},
                  {"x-real-ip", "1.2.3.4"},
                  {"forwarded", "for=1.2.3.4"},
                  {"x-api-key", "caller-supplied"},
                  {"content-length", "2"},
                  {"x-keep-me", "yes"}},
                 "{}");
  CHECK(r.status == 200);
  REQUIRE(fake.seen.size() == 1);
  std::vector<std::string> names;
  for (const auto& [n, v] : fake.seen[0].headers) names.push_back(n);
  for (const char* gone :
       {"cookie", "proxy-authorization", "connection", "x-hop-one", "keep-alive", "te", "upgrade",
        "x-locker-debug", "x-locker-forward-path", "cf-connecting-ip", "x-forwarded-for",
        "x-real-ip", "forwarded", "content-length", "host", "transfer-encoding"}) {
    INFO(gone);
    CHECK(header(fake.seen[0].headers, gone) == "<absent>");
  }
  // The caller's Authorization (our master token) and x-api-key never arrive.
  CHECK(header(fake.seen[0].headers, "authorization") == "<absent>");
  CHECK(header(fake.seen[0].headers, "x-api-key") == kSecret);
  CHECK(header(fake.seen[0].headers, "x-keep-me") == "yes");
  CHECK_FALSE(contains(bj::serialize(bj::value_from(names)), u.token));
}

TEST_CASE("proxy: the echoed key is redacted in headers and body, every form", "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "echo@example.com");
  const std::string secret = std::string(kSecret) + "/+?";
  store(host, u, "MAILGUN_API_KEY", secret, "mailgun");
  const std::string sent = crypto::base64_encode("api:" + secret);
  const std::vector<std::string> forms = {
      secret,
      crypto::base64_encode(secret),
      crypto::base64url_encode(secret),
      http::url_encode(secret),
      bj::serialize(bj::value(secret)).substr(1, bj::serialize(bj::value(secret)).size() - 2),
      sent,
  };
  fake.answer = [&](const async::FetchRequest&) {
    std::string body = "{";
    for (std::size_t i = 0; i < forms.size(); ++i) {
      body += "\"f" + std::to_string(i) + "\":\"" + forms[i] + "\",";
    }
    body += "\"auth\":\"Basic " + sent + "\"}";
    return FakeUpstream::ok(302, body,
                            {{"content-type", "application/json"},
                             {"location", "https://cb.example/?k=" + http::url_encode(secret)},
                             {"x-echo", secret},
                             {"set-cookie", "s=" + secret},
                             {"content-length", "999"},
                             {"content-encoding", "gzip"},
                             {"cache-control", "public, max-age=60"}});
  };
  auto r = proxy(host, u, "GET", "/v1/proxy/MAILGUN_API_KEY/v3/echo");
  CHECK(r.status == 302);  // redirects are returned, never followed
  REQUIRE(fake.seen.size() == 1);
  for (const auto& f : forms) {
    CHECK_FALSE(contains(r.body, f));
    for (const auto& [n, v] : r.headers) CHECK_FALSE(contains(v, f));
  }
  CHECK(header(r.headers, "location") == "https://cb.example/?k=[REDACTED]");
  CHECK(header(r.headers, "x-echo") == "[REDACTED]");
  CHECK(header(r.headers, "set-cookie") == "<absent>");
  CHECK(header(r.headers, "content-length") == "<absent>");
  CHECK(header(r.headers, "content-encoding") == "<absent>");
  CHECK(header(r.headers, "cache-control") == "no-store");
  CHECK(header(r.headers, "content-type") == "application/json");
  CHECK(header(r.headers, "x-locker-redacted") == "9");  // 2 headers + 7 in the body
  auto body = body_json(r);
  CHECK(body.at("f0") == "[REDACTED]");
  CHECK(body.at("auth") == "[REDACTED]");
  // Nothing echoed, nothing counted, no header.
  fake.answer = nullptr;
  auto clean = proxy(host, u, "GET", "/v1/proxy/MAILGUN_API_KEY/v3/plain");
  CHECK(clean.status == 200);
  CHECK(clean.body == R"({"ok":true})");
  CHECK(header(clean.headers, "x-locker-redacted") == "<absent>");
}

TEST_CASE("proxy: policy refusals are clear errors, nothing is decrypted or fetched",
          "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "policy@example.com");
  const std::string id = store(host, u, "OPENAI_API_KEY", kSecret, "openai");
  // Without its blob the value cannot be opened (that would be a 503), so each
  // refusal below also shows that nothing was decrypted before it.
  host.kv().clear();
  const auto refused = [&](const http::Response& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
    CHECK_FALSE(contains(r.body, kSecret));
    CHECK(fake.seen.empty());
  };

  SECTION("path tricks") {
    for (const char* path : {"//evil.example/x", "@evil.example/x", "evil.example", "/a/../b",
                             "/%2e%2e/admin", "/a/..%2f..%2fadmin", "/x#frag", "/a\\b"}) {
      INFO(path);
      refused(proxy(host, u, "POST", "/v1/proxy/OPENAI_API_KEY", {{"x-locker-forward-path", path}}),
              400, "invalid_forward_path");
    }
    refused(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/v1/%2e%2e/%2e%2e/admin"), 400,
            "invalid_forward_path");
  }
  SECTION("missing X-Locker-Forward-Path") {
    auto r = proxy(host, u, "POST", "/v1/proxy/OPENAI_API_KEY");
    refused(r, 400, "missing_forward_path");
    CHECK(contains(error_message(r), "X-Locker-Forward-Path"));
  }
  SECTION("private, loopback and link-local base URLs in any form") {
    for (const char* base :
         {"https://127.1", "https://0x7f.0.0.1", "https://2130706433", "https://[::1]",
          "https://[::ffff:10.0.0.1]", "https://10.0.0.1", "https://169.254.169.254/latest",
          "https://localhost", "https://api.localhost", "https://100.64.0.1", "https://0.0.0.0"}) {
      INFO(base);
      exec_sql(host,
               "UPDATE keys SET base_url = '" + std::string(base) + "' WHERE id = '" + id + "'");
      refused(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x"), 403, "destination_refused");
    }
  }
  SECTION("plain http outside loopback-in-development") {
    exec_sql(host, "UPDATE keys SET base_url = 'http://api.openai.com' WHERE id = '" + id + "'");
    refused(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x"), 403, "destination_refused");
  }
  SECTION("paused key") {
    REQUIRE(call(host, u, "POST", "/v1/keys/" + id + "/pause").status == 200);
    auto r = proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x");
    refused(r, 409, "key_paused");
    CHECK(contains(error_message(r), "resume"));
  }
  SECTION("key without base_url") {
    exec_sql(host, "UPDATE keys SET base_url = NULL WHERE id = '" + id + "'");
    refused(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x"), 400, "no_base_url");
  }
  SECTION("oauth2 credential") {
    exec_sql(host, "UPDATE keys SET credential_type = 'oauth2' WHERE id = '" + id + "'");
    refused(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x"), 400, "unsupported_credential");
  }
  SECTION("unknown key, another user's key, bad method, oversized body") {
    refused(proxy(host, u, "GET", "/v1/proxy/NOPE/x"), 404, "not_found");
    auto other = add_user(host, "other@example.com");
    refused(proxy(host, other, "GET", "/v1/proxy/" + id + "/x"), 404, "not_found");
    refused(proxy(host, u, "OPTIONS", "/v1/proxy/OPENAI_API_KEY/x"), 405, "method_not_allowed");
    refused(
        proxy(host, u, "PUT", "/v1/proxy/OPENAI_API_KEY/x", {}, std::string(1024 * 1024 + 1, 'a')),
        413, "body_too_large");
    refused(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x", {}, "body"), 400,
            "invalid_request");
  }
  SECTION("no principal") {
    auto r = host.request("GET", std::string(kOrigin) + "/v1/proxy/OPENAI_API_KEY/x");
    CHECK(r.status == 401);
    CHECK(fake.seen.empty());
  }
}

TEST_CASE("proxy: a value stored before the 8-byte minimum is not injected", "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "legacy@example.com");
  const std::string id = store(host, u, "OPENAI_API_KEY", kSecret, "openai");
  // What an older release could store: a one-byte value, sealed like any other.
  const std::string blob_key = "blob/" + u.user_id + "/" + id + "/1";
  REQUIRE(host.kv().count(blob_key) == 1);
  auto sealed = crypto::envelope::seal(host.config().keys(), {u.user_id, id, "1"}, "x");
  REQUIRE(sealed.value);
  host.kv()[blob_key] = *sealed.value;
  auto r = proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/v1/models");
  INFO(r.body);
  CHECK(r.status == 409);
  CHECK(error_code(r) == "value_too_short");
  CHECK(contains(r.body, "apilocker rotate OPENAI_API_KEY"));
  CHECK(fake.seen.empty());
}

TEST_CASE("proxy: plain http only to loopback and only in development", "[proxy][forward]") {
  SECTION("development reaches a loopback upstream") {
    auto host = make_runner();
    FakeUpstream fake;
    attach(host, fake);
    auto u = add_user(host, "dev@example.com");
    store(host, u, "LOCAL", kSecret, "custom", {{"base_url", "http://127.0.0.1:9911/api"}});
    CHECK(proxy(host, u, "GET", "/v1/proxy/LOCAL/ping").status == 200);
    REQUIRE(fake.seen.size() == 1);
    CHECK(fake.seen[0].url == "http://127.0.0.1:9911/api/ping");
  }
  SECTION("production refuses it") {
    auto host = make_runner("production");
    FakeUpstream fake;
    attach(host, fake);
    auto u = add_user(host, "prod@example.com");
    const std::string id = store(host, u, "LOCAL", kSecret, "openai");
    exec_sql(host, "UPDATE keys SET base_url = 'http://127.0.0.1:9911' WHERE id = '" + id + "'");
    auto r = proxy(host, u, "GET", "/v1/proxy/LOCAL/ping");
    CHECK(r.status == 403);
    CHECK(error_code(r) == "destination_refused");
    CHECK(fake.seen.empty());
  }
}

TEST_CASE("proxy: upstream failures map to clear errors", "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "limits@example.com");
  store(host, u, "Q", kSecret, "custom",
        {{"base_url", "https://api.example.com"}, {"auth_header_type", "query"}});
  const auto check = [&](const std::string& error, int status, const std::string& code) {
    fake.answer = [error](const async::FetchRequest&) { return FakeUpstream::failed(error); };
    auto r = proxy(host, u, "GET", "/v1/proxy/Q/x");
    INFO(error);
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
    CHECK_FALSE(contains(r.body, kSecret));
  };
  check("fetch timed out after 30000 ms", 504, "upstream_timeout");
  check("response body larger than 4194304 bytes", 502, "upstream_too_large");
  // A shim error quoting the URL (with the key in its query) is scrubbed.
  check(std::string("TypeError: fetch failed for https://api.example.com/x?api_key=") + kSecret,
        502, "upstream_unreachable");
  CHECK(fake.seen.size() == 3);
  CHECK(proxy_rows(host) == 3);
  CHECK(scalar_int(host,
                   "SELECT COUNT(*) FROM audit_log WHERE action = 'key.proxy' AND status "
                   "IN (502, 504)") == 3);
}

TEST_CASE("proxy: one audit row per call, metadata only, and last_used_at", "[proxy][forward]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "audit@example.com");
  const std::string id = store(host, u, "OPENAI_API_KEY", kSecret, "openai");
  fake.answer = [](const async::FetchRequest&) { return FakeUpstream::ok(201, "0123456789"); };
  CHECK(scalar(host, "SELECT last_used_at FROM keys WHERE id = '" + id + "'") == std::nullopt);
  auto r = proxy(host, u, "POST", "/v1/proxy/OPENAI_API_KEY/v1/files?purpose=SECRETQUERY",
                 {{"content-type", "text/plain"}}, "SECRETBODY");
  CHECK(r.status == 201);
  CHECK(proxy_rows(host) == 1);
  const auto detail =
      scalar(host, "SELECT detail FROM audit_log WHERE action = 'key.proxy'").value_or("");
  CHECK(detail == "POST api.openai.com/v1/files \xE2\x86\x92 201, 10 bytes");
  CHECK(scalar_int(host, "SELECT status FROM audit_log WHERE action = 'key.proxy'") == 201);
  CHECK(scalar(host, "SELECT key_id FROM audit_log WHERE action = 'key.proxy'") == id);
  CHECK(scalar(host, "SELECT key_name FROM audit_log WHERE action = 'key.proxy'") ==
        "OPENAI_API_KEY");
  CHECK(scalar(host, "SELECT actor_kind FROM audit_log WHERE action = 'key.proxy'") == "master");
  CHECK(scalar(host, "SELECT last_used_at FROM keys WHERE id = '" + id + "'").has_value());
  CHECK_FALSE(stored_anywhere(host, "SECRETQUERY"));
  CHECK_FALSE(stored_anywhere(host, "SECRETBODY"));
  CHECK_FALSE(stored_anywhere(host, kSecret));

  // A refusal is one row too, with our status.
  REQUIRE(call(host, u, "POST", "/v1/keys/" + id + "/pause").status == 200);
  CHECK(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/x?q=SECRETQUERY").status == 409);
  CHECK(proxy_rows(host) == 2);
  CHECK(scalar_int(host,
                   "SELECT COUNT(*) FROM audit_log WHERE action = 'key.proxy' AND status = "
                   "409") == 1);
  CHECK_FALSE(stored_anywhere(host, "SECRETQUERY"));
  // GET /v1/activity shows the call.
  auto activity = call(host, u, "GET", "/v1/activity?key_id=" + id);
  CHECK(activity.status == 200);
  CHECK(contains(activity.body, "api.openai.com/v1/files"));
}

TEST_CASE("proxy: proxy_request through MCP", "[proxy][forward][mcp]") {
  auto host = make_runner();
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "mcp-proxy@example.com");
  const std::string id = store(host, u, "OPENAI_API_KEY", kSecret, "openai");
  fake.answer = [](const async::FetchRequest& f) {
    return FakeUpstream::ok(200, R"({"echo":")" + std::string(f.headers.back().second) + "\"}",
                            {{"content-type", "application/json"}, {"x-a", "1"}, {"X-A", "2"}});
  };

  SECTION("over POST /v1/mcp") {
    bj::object args{{"key", "OPENAI_API_KEY"},
                    {"method", "POST"},
                    {"path", "/v1/chat/completions?x=1"},
                    {"headers", bj::object{{"Content-Type", "application/json"},
                                           {"Authorization", "Bearer attacker"}}},
                    {"body", R"({"model":"gpt"})"}};
    auto r = mcpcore::mcp_legacy(
        host, u, mcpcore::rpc("tools/call", {{"name", "proxy_request"}, {"arguments", args}}));
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(fake.seen.size() == 1);
    CHECK(fake.seen[0].url == "https://api.openai.com/v1/chat/completions?x=1");
    CHECK(header(fake.seen[0].headers, "authorization") == std::string("Bearer ") + kSecret);
    CHECK(header(fake.seen[0].headers, "content-type") == "application/json");
    CHECK(fake.seen[0].body == R"({"model":"gpt"})");
    CHECK_FALSE(contains(r.body, kSecret));
    auto result = body_json(r).at("result").as_object();
    CHECK(result.at("isError") == false);
    const auto& sc = result.at("structuredContent").as_object();
    CHECK(sc.at("status") == 200);
    CHECK(sc.at("body") == R"({"echo":"[REDACTED]"})");
    CHECK(sc.at("body_encoding") == "utf-8");
    CHECK(sc.at("redacted") == 1);
    CHECK(sc.at("headers").at("x-a") == "1, 2");
    CHECK(proxy_rows(host) == 1);
  }
  SECTION("schema, annotations, binary bodies and failures as tool results") {
    const auto& tool = vault_tool("proxy_request");
    CHECK(tool.scope == "vault:proxy");
    CHECK_FALSE(tool.annotations.read_only);
    CHECK(tool.annotations.destructive);
    CHECK_FALSE(tool.annotations.idempotent);
    CHECK(tool.annotations.open_world);
    CHECK(contains(tool.description, "never see the key"));

    fake.answer = [](const async::FetchRequest&) {
      return FakeUpstream::ok(200, std::string("\x89PNG\r\n\x1a\n\xff", 9),
                              {{"content-type", "image/png"}});
    };
    auto bin =
        call_tool(host, u, "proxy_request", {{"key", id}, {"method", "GET"}, {"path", "/img.png"}});
    REQUIRE_FALSE(bin.is_error);
    CHECK(bin.key_id == id);
    const bj::value schema = bj::parse(tool.output_schema);
    CHECK(schema_violation(schema, *bin.structured).empty());
    CHECK(bin.structured->at("body_encoding") == "base64");
    CHECK(str(bin.structured->at("body")) ==
          crypto::base64_encode(std::string("\x89PNG\r\n\x1a\n\xff", 9)));

    auto missing =
        call_tool(host, u, "proxy_request", {{"key", "NOPE"}, {"method", "GET"}, {"path", "/x"}});
    REQUIRE(missing.is_error);
    CHECK(contains(result_text(missing), "list_keys"));

    auto bad_path = call_tool(host, u, "proxy_request",
                              {{"key", id}, {"method", "GET"}, {"path", "/a/../admin"}});
    REQUIRE(bad_path.is_error);
    CHECK(contains(result_text(bad_path), "'..'"));

    auto bad_method =
        call_tool(host, u, "proxy_request", {{"key", id}, {"method", "TRACE"}, {"path", "/x"}});
    CHECK(bad_method.is_error);

    REQUIRE(call(host, u, "POST", "/v1/keys/" + id + "/pause").status == 200);
    auto paused =
        call_tool(host, u, "proxy_request", {{"key", id}, {"method", "GET"}, {"path", "/x"}});
    REQUIRE(paused.is_error);
    CHECK(contains(result_text(paused), "resume_key"));
    CHECK(fake.seen.size() == 1);  // only the binary call reached the provider
  }
  SECTION("an OAuth principal needs vault:proxy") {
    auto denied =
        call_tool(host, u, "proxy_request", {{"key", id}, {"method", "GET"}, {"path", "/x"}},
                  principal_of(u, auth::Principal::Kind::oauth, {"vault:read"}));
    CHECK(denied.is_error);
    auto allowed =
        call_tool(host, u, "proxy_request", {{"key", id}, {"method", "GET"}, {"path", "/x"}},
                  principal_of(u, auth::Principal::Kind::oauth, {"vault:proxy"}));
    CHECK_FALSE(allowed.is_error);
    CHECK(fake.seen.size() == 1);
  }
}

TEST_CASE("proxy: the rate limit comes first and fetches nothing", "[proxy][forward]") {
  std::array<std::uint8_t, 32> kek{};
  REQUIRE(crypto::random_bytes(kek));
  host::HostRunner host({{"ENVIRONMENT", "development"},
                         {"VAULT_KEYS", "t1:" + crypto::base64_encode(kek)},
                         {"RATE_LIMIT_PROXY_PER_USER", "2"}});
  FakeUpstream fake;
  attach(host, fake);
  auto u = add_user(host, "limited@example.com");
  store(host, u, "OPENAI_API_KEY", kSecret, "openai");
  CHECK(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/a").status == 200);
  CHECK(proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/b").status == 200);
  auto r = proxy(host, u, "GET", "/v1/proxy/OPENAI_API_KEY/c");
  CHECK(r.status == 429);
  CHECK(error_code(r) == "rate_limited");
  CHECK(header(r.headers, "retry-after") != "<absent>");
  CHECK(fake.seen.size() == 2);
  // Through MCP: an isError result naming the wait.
  auto t = call_tool(host, u, "proxy_request",
                     {{"key", "OPENAI_API_KEY"}, {"method", "GET"}, {"path", "/d"}});
  REQUIRE(t.is_error);
  CHECK(t.status == 429);
  CHECK(fake.seen.size() == 2);
}
