// POST/GET /v1/keys and GET /v1/keys/:idOrName through the host runner: the
// CLI's wire shapes, validation (clear 400s, nothing written) and duplicates.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "tests/unit/host/vault_fixture.hpp"
#include "worker/crypto/sha256.hpp"
#include "worker/vault/providers.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {
bool iso_z(const bj::value& v) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  return v.is_string() && std::regex_match(std::string(v.as_string()), re);
}
}  // namespace

TEST_CASE("store an api_key: 201 with the fields the CLI prints", "[vault][keys]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = call(host, alice, "POST", "/v1/keys",
                bj::value{{"name", "OPENAI_API_KEY"},
                          {"provider", "openai"},
                          {"credential_type", "api_key"},
                          {"key", "sk-test-123"},
                          {"tags", bj::array{"prod", "llm", "prod"}}});
  REQUIRE(r.status == 201);
  auto b = body_json(r);
  CHECK(std::string(b.at("id").as_string()).rfind("key_", 0) == 0);
  CHECK(b.at("name") == "OPENAI_API_KEY");
  CHECK(b.at("provider") == "openai");
  CHECK(b.at("credential_type") == "api_key");
  CHECK(b.at("category") == "llm");
  CHECK(b.at("base_url") == "https://api.openai.com");
  CHECK(b.at("auth_header_type") == "bearer");
  CHECK(b.at("tags") == bj::array{"prod", "llm"});
  CHECK(str(b.at("proxy_endpoint")) == "http://127.0.0.1:8787/v1/proxy/" + str(b.at("id")));
  CHECK(iso_z(b.at("created_at")));
  CHECK(b.at("rotated_at").is_null());
  CHECK(r.body.find("sk-test-123") == std::string::npos);

  // one key row, one current version, one audit row
  CHECK(scalar_int(host, "SELECT count(*) FROM key_versions WHERE stage = 'current'") == 1);
  CHECK(scalar(host, "SELECT action FROM audit_log") == "key.create");
  CHECK(host.kv().size() == 1);
  CHECK(host.kv().begin()->first ==
        "blob/" + alice.user_id + "/" + std::string(b.at("id").as_string()) + "/1");
  // fingerprint: 64 hex chars, a keyed HMAC (not a plain SHA-256 of the value)
  auto fp = scalar(host, "SELECT fingerprint FROM key_versions");
  REQUIRE(fp);
  CHECK(fp->size() == 64);
  CHECK(*fp != ve::crypto::sha256_hex("sk-test-123"));
  CHECK(host.live_tasks() == 0);
}

TEST_CASE("store an oauth2 credential with provider defaults", "[vault][keys]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = call(host, alice, "POST", "/v1/keys",
                bj::value{{"name", "google-oauth"},
                          {"provider", "google-oauth"},
                          {"credential_type", "oauth2"},
                          {"client_id", "cid-1"},
                          {"client_secret", "csecret-1"},
                          {"scopes", "openid email"}});
  REQUIRE(r.status == 201);
  auto b = body_json(r);
  CHECK(b.at("credential_type") == "oauth2");
  CHECK(b.at("category") == "oauth");
  CHECK(b.at("provider") == "google-oauth");
  CHECK(r.body.find("csecret-1") == std::string::npos);
  CHECK_FALSE(stored_anywhere(host, "csecret-1"));
  CHECK_FALSE(stored_anywhere(host, "cid-1"));
}

TEST_CASE("custom provider: base_url optional, https only, auth type kept", "[vault][keys]") {
  auto host = make_runner("production");
  auto alice = add_user(host, "alice@example.com");
  // the CLI's default provider is custom and base_url is optional (vault-only key)
  auto plain = call(host, alice, "POST", "/v1/keys",
                    bj::value{{"name", "PLAIN"}, {"provider", "custom"}, {"key", "v_secret"}});
  REQUIRE(plain.status == 201);
  CHECK(body_json(plain).at("proxy_endpoint").is_null());
  CHECK(body_json(plain).at("base_url").is_null());
  CHECK(body_json(plain).at("category") == "service");

  auto http_url = call(host, alice, "POST", "/v1/keys",
                       bj::value{{"name", "C1"},
                                 {"provider", "custom"},
                                 {"key", "v_secret"},
                                 {"base_url", "http://api.example.com"}});
  CHECK(http_url.status == 400);
  CHECK(std::string(body_json(http_url).at("error").as_string()).find("https://") !=
        std::string::npos);
  for (const char* bad : {"https://user:pw@api.example.com", "https://api.example.com/?q=1",
                          "api.example.com", "https://", "https://a b.com"}) {
    auto r = call(
        host, alice, "POST", "/v1/keys",
        bj::value{{"name", "C2"}, {"provider", "custom"}, {"key", "v_secret"}, {"base_url", bad}});
    CHECK(r.status == 400);
  }
  auto ok = call(host, alice, "POST", "/v1/keys",
                 bj::value{{"name", "C3"},
                           {"provider", "custom"},
                           {"key", "v_secret"},
                           {"base_url", "https://api.example.com/v2/"},
                           {"auth_header_type", "x-api-key"}});
  REQUIRE(ok.status == 201);
  CHECK(body_json(ok).at("base_url") == "https://api.example.com/v2");
  CHECK(body_json(ok).at("auth_header_type") == "x-api-key");
  CHECK(body_json(ok).at("proxy_endpoint").is_string());
}

TEST_CASE("base_url: a destination the proxy refuses is refused when stored", "[vault][keys]") {
  for (const char* environment : {"production", "development"}) {
    INFO(environment);
    auto host = make_runner(environment);
    auto alice = add_user(host, "alice@example.com");
    for (const char* bad :
         {"https://10.0.0.1", "https://192.168.1.1/v1", "https://127.0.0.1:8443", "https://127.1",
          "https://2130706433", "https://0x7f.0.0.1", "https://[::1]", "https://[::ffff:10.0.0.1]",
          "https://169.254.169.254/latest", "https://100.64.0.1", "https://[fe80::1]",
          "https://localhost", "https://api.localhost", "https://0.0.0.0"}) {
      INFO(bad);
      auto r = call(
          host, alice, "POST", "/v1/keys",
          bj::value{
              {"name", "PRIVATE"}, {"provider", "custom"}, {"key", "v_secret"}, {"base_url", bad}});
      CHECK(r.status == 400);
      const std::string message(body_json(r).at("error").as_string());
      CHECK(message.find("field 'base_url'") != std::string::npos);
      CHECK(message.find("the proxy refuses") != std::string::npos);
    }
    CHECK(scalar_int(host, "SELECT COUNT(*) FROM keys") == 0);
    // A public address literal is a destination like any other.
    auto ok = call(host, alice, "POST", "/v1/keys",
                   bj::value{{"name", "PUBLIC_IP"},
                             {"provider", "custom"},
                             {"key", "v_secret"},
                             {"base_url", "https://1.1.1.1/api"}});
    CHECK(ok.status == 201);
  }
}

TEST_CASE("apilocker import's body (no credential_type) stores an api_key", "[vault][keys]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = call(host, alice, "POST", "/v1/keys",
                bj::value{{"name", "MY_TOKEN"},
                          {"provider", "custom"},
                          {"key", "abc_secret"},
                          {"base_url", "https://example.invalid"},
                          {"auth_header_type", "bearer"},
                          {"tags", bj::array{"imported"}}});
  REQUIRE(r.status == 201);
  CHECK(body_json(r).at("credential_type") == "api_key");
}

TEST_CASE("duplicate names are 409, also against an old name of another key", "[vault][keys]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  REQUIRE_FALSE(store_key(host, alice, "A", "v1_secret").empty());
  auto before = footprint(host);
  auto dup = call(host, alice, "POST", "/v1/keys",
                  bj::value{{"name", "A"}, {"provider", "openai"}, {"key", "v2_secret"}});
  CHECK(dup.status == 409);
  CHECK(body_json(dup).at("code") == "name_taken");
  CHECK(footprint(host) == before);

  // after a rename, the old name is still taken (it keeps resolving)
  REQUIRE(call(host, alice, "POST", "/v1/keys/A/rename", bj::value{{"new_name", "B"}}).status ==
          200);
  before = footprint(host);
  auto old = call(host, alice, "POST", "/v1/keys",
                  bj::value{{"name", "A"}, {"provider", "openai"}, {"key", "v3_secret"}});
  CHECK(old.status == 409);
  CHECK(footprint(host) == before);
  CHECK_FALSE(stored_anywhere(host, "v3_secret"));
}

TEST_CASE("bad store input: clear 400s in the CLI's error shape, nothing written",
          "[vault][keys][bad-input]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  const auto before = footprint(host);
  const std::string big(std::size_t{64} * 1024 + 1, 'x');
  const std::string just_fits(std::size_t{64} * 1024, 'y');
  struct Case {
    const char* what;
    std::string body;
    const char* needle;
  };
  const Case cases[] = {
      {"malformed JSON", "{\"name\": ", "not valid JSON"},
      {"not an object", "[1,2]", "JSON object"},
      {"missing name", R"({"provider":"openai","key":"k_secret"})", "'name'"},
      {"name with a slash", R"({"name":"a/b","provider":"openai","key":"k_secret"})", "'name'"},
      {"name with spaces", R"({"name":"a b","provider":"openai","key":"k_secret"})", "'name'"},
      {"name too long", "{\"name\":\"" + std::string(129, 'n') + "\",\"key\":\"k\"}", "'name'"},
      {"name of punctuation only", R"({"name":"--","provider":"openai","key":"k_secret"})",
       "'name'"},
      {"name not a string", R"({"name":5,"provider":"openai","key":"k_secret"})", "'name'"},
      {"missing key", R"({"name":"A","provider":"openai"})", "'key'"},
      {"empty key", R"({"name":"A","provider":"openai","key":""})", "'key'"},
      {"oversized key", "{\"name\":\"A\",\"provider\":\"openai\",\"key\":\"" + big + "\"}",
       "64 KiB"},
      {"NUL in key", R"({"name":"A","provider":"openai","key":"a\u0000b"})", "NUL"},
      {"a key of 7 bytes", R"({"name":"A","provider":"openai","key":"sk-1234"})", "8 characters"},
      {"a client_secret of 1 byte",
       R"({"name":"A","provider":"google-oauth","credential_type":"oauth2","client_id":"c","client_secret":"s"})",
       "8 characters"},
      {"unknown provider", R"({"name":"A","provider":"nope","key":"k_secret"})", "custom"},
      {"bad credential_type", R"({"name":"A","credential_type":"jwt","key":"k_secret"})",
       "credential_type"},
      {"oauth2 without secret",
       R"({"name":"A","provider":"google-oauth","credential_type":"oauth2","client_id":"c"})",
       "client_secret"},
      {"oauth2 bad token_url",
       R"({"name":"A","credential_type":"oauth2","client_id":"c","client_secret":"cs-0123456789","token_url":"ftp://x"})",
       "token_url"},
      {"bad tags", R"({"name":"A","provider":"openai","key":"k_secret","tags":[1]})", "tags"},
      {"tag with comma", R"({"name":"A","provider":"openai","key":"k_secret","tags":["a,b"]})",
       "tags"},
      {"bad auth type",
       R"({"name":"A","provider":"custom","key":"k_secret","auth_header_type":"digest"})",
       "auth_header_type"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto r = call(host, alice, "POST", "/v1/keys", c.body);
    CHECK(r.status == 400);
    auto b = body_json(r);
    REQUIRE(b.at("error").is_string());
    CHECK(b.at("code").is_string());
    CHECK(std::string(b.at("error").as_string()).find(c.needle) != std::string::npos);
    CHECK(r.body.find(big) == std::string::npos);
  }
  CHECK(footprint(host) == before);
  CHECK(host.live_tasks() == 0);

  // exactly 64 KiB is accepted
  CHECK(call(host, alice, "POST", "/v1/keys",
             "{\"name\":\"BIG\",\"provider\":\"openai\",\"key\":\"" + just_fits + "\"}")
            .status == 201);
}

TEST_CASE("unauthenticated and unknown-token requests are 401", "[vault][keys][bad-input]") {
  auto host = make_runner();
  auto r = host.request("GET", "http://127.0.0.1/v1/keys");
  CHECK(r.status == 401);
  CHECK(body_json(r).at("error").is_string());
  VaultUser ghost{"usr_x", "dev_x", "vk_master_not-a-real-token"};
  CHECK(call(host, ghost, "GET", "/v1/keys").status == 401);
  CHECK(
      call(host, ghost, "POST", "/v1/keys", bj::value{{"name", "A"}, {"key", "k_secret"}}).status ==
      401);
  CHECK(footprint(host) == Footprint{});
}

TEST_CASE("list: the CLI's fields, ISO 8601 Z timestamps, old names", "[vault][keys]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  REQUIRE_FALSE(store_key(host, alice, "OPENAI_API_KEY", "sk-1_secret").empty());
  REQUIRE_FALSE(store_key(host, alice, "STRIPE_KEY", "rk-1_secret", "stripe").empty());
  REQUIRE(call(host, alice, "POST", "/v1/keys/STRIPE_KEY/rename",
               bj::value{{"new_name", "STRIPE_SECRET_KEY"}})
              .status == 200);
  REQUIRE(call(host, alice, "POST", "/v1/keys/OPENAI_API_KEY/pause").status == 200);

  auto r = call(host, alice, "GET", "/v1/keys");
  REQUIRE(r.status == 200);
  const auto parsed = body_json(r);
  const auto& keys = parsed.at("keys").as_array();
  REQUIRE(keys.size() == 2);
  for (const auto& k : keys) {
    for (const char* f : {"id", "name", "provider", "category", "credential_type", "tags",
                          "base_url", "auth_header_type", "created_at", "rotated_at", "paused_at",
                          "last_used_at", "proxy_endpoint"}) {
      INFO(f);
      CHECK(k.as_object().contains(f));
    }
    CHECK(iso_z(k.at("created_at")));
    CHECK(k.as_object().if_contains("value") == nullptr);
  }
  CHECK(keys[0].at("name") == "OPENAI_API_KEY");
  CHECK(iso_z(keys[0].at("paused_at")));
  CHECK(keys[1].at("name") == "STRIPE_SECRET_KEY");
  CHECK(keys[1].at("category") == "service");
  CHECK(keys[1].at("previous_names") == bj::array{"STRIPE_KEY"});
  CHECK(r.body.find("sk-1_secret") == std::string::npos);
}

TEST_CASE("get one key by id, name or old name: metadata and versions, no value", "[vault][keys]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "value-1_secret");
  REQUIRE_FALSE(id.empty());
  REQUIRE(
      call(host, alice, "POST", "/v1/keys/" + id + "/rotate", bj::value{{"key", "value-2_secret"}})
          .status == 200);
  REQUIRE(call(host, alice, "POST", "/v1/keys/K/rename", bj::value{{"new_name", "K2"}}).status ==
          200);
  for (const std::string& ref : {id, std::string("K2"), std::string("K")}) {
    INFO(ref);
    auto r = call(host, alice, "GET", "/v1/keys/" + ref);
    REQUIRE(r.status == 200);
    auto b = body_json(r);
    CHECK(str(b.at("id")) == id);
    CHECK(b.at("name") == "K2");
    const auto& versions = b.at("versions").as_array();
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].at("version") == 2);
    CHECK(versions[0].at("stage") == "current");
    CHECK(versions[1].at("stage") == "previous");
    CHECK(versions[0].at("kid") == "t1");
    CHECK(r.body.find("value-") == std::string::npos);
    CHECK(r.body.find("fingerprint") == std::string::npos);
  }
  CHECK(call(host, alice, "GET", "/v1/keys/nope").status == 404);
}

TEST_CASE("provider catalog is open and covers every provider the CLI knows",
          "[vault][providers]") {
  auto host = make_runner();
  auto r = host.request("GET", "http://127.0.0.1/v1/providers");
  REQUIRE(r.status == 200);
  auto b = body_json(r);
  const auto& list = b.at("providers").as_array();
  std::set<std::string> ids;
  for (const auto& p : list) {
    ids.insert(std::string(p.at("id").as_string()));
    const auto cat = std::string(p.at("category").as_string());
    CHECK((cat == "llm" || cat == "service" || cat == "oauth"));
    CHECK(p.at("auth").at("type").is_string());
  }
  // every id the CLI's `.env` import detector and store examples use
  for (const char* id :
       {"openai",       "anthropic", "google-ai",    "groq",      "mistral",      "stripe",
        "lemonsqueezy", "twilio",    "sendgrid",     "resend",    "cloudflare",   "vercel",
        "upstash",      "github",    "clerk",        "sentry",    "posthog",      "cloudinary",
        "mux",          "custom",    "google-oauth", "cohere",    "perplexity",   "together",
        "deepseek",     "xai",       "openrouter",   "fireworks", "replicate",    "huggingface",
        "slack",        "supabase",  "postmark",     "mailgun",   "github-oauth", "slack-oauth"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
  CHECK(b.at("custom").is_object());
}

TEST_CASE("provider ids are case-insensitive, aliases map to the canonical id, auth rules",
          "[vault][providers]") {
  using ve::vault::AuthKind;
  REQUIRE(ve::vault::find_provider("Gemini") != nullptr);
  CHECK(ve::vault::find_provider("gemini")->id == "google-ai");
  CHECK(ve::vault::find_provider("OPENAI")->id == "openai");
  CHECK(ve::vault::find_provider("nope") == nullptr);
  CHECK(ve::vault::resolve_auth("anthropic", std::nullopt)->header == "x-api-key");
  CHECK(ve::vault::resolve_auth("google-maps", std::nullopt)->header == "x-goog-api-key");
  CHECK(ve::vault::resolve_auth("openweathermap", std::nullopt)->param == "appid");
  CHECK(ve::vault::resolve_auth("custom", std::nullopt)->kind == AuthKind::bearer);
  CHECK(ve::vault::resolve_auth("custom", "x-api-key")->kind == AuthKind::header);
  CHECK(ve::vault::resolve_auth("custom", "query")->param == "api_key");
  CHECK(ve::vault::resolve_auth("custom", "digest") == std::nullopt);
  CHECK(ve::vault::auth_header_type(ve::vault::find_provider("anthropic")->auth) == "x-api-key");
  CHECK(ve::vault::auth_header_type(ve::vault::find_provider("postmark")->auth) == "custom");

  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto r = call(host, alice, "POST", "/v1/keys",
                bj::value{{"name", "GEMINI_API_KEY"}, {"provider", "gemini"}, {"key", "g_secret"}});
  REQUIRE(r.status == 201);
  CHECK(body_json(r).at("provider") == "google-ai");
  CHECK(body_json(r).at("auth_header_type") == "custom");  // x-goog-api-key header
}
