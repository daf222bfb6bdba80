// POST /v1/keys/reveal: the shapes reveal.js / envparser.js / run / get / env
// read, old names after a rename, the env_name rule, audit rows, bad input.
#include <catch2/catch.hpp>

#include "tests/unit/host/vault_fixture.hpp"
#include "worker/vault/env_name.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {
ve::http::Response reveal(ve::host::HostRunner& host, const VaultUser& u, bj::array names) {
  return call(host, u, "POST", "/v1/keys/reveal", bj::value{{"keys", std::move(names)}});
}
}  // namespace

TEST_CASE("env_name rule", "[vault][env]") {
  using ve::vault::env_name;
  CHECK(env_name("OPENAI_API_KEY") == "OPENAI_API_KEY");
  CHECK(env_name("_PRIVATE") == "_PRIVATE");
  CHECK(env_name("A__B_") == "A__B_");  // SCREAMING_SNAKE is kept as is
  CHECK(env_name("openai") == "OPENAI");
  CHECK(env_name("google-oauth") == "GOOGLE_OAUTH");
  CHECK(env_name("my.key--v2") == "MY_KEY_V2");
  CHECK(env_name("-x-") == "X");
  CHECK(env_name("2fa-token") == "_2FA_TOKEN");
  CHECK(env_name("Stripe:Live@eu") == "STRIPE_LIVE_EU");
  CHECK(env_name("9") == "_9");
  CHECK(ve::vault::oauth_env_name("google-oauth", "client_secret") == "GOOGLE_OAUTH_CLIENT_SECRET");
}

TEST_CASE("reveal api_key and oauth2 credentials, missing names listed", "[vault][reveal]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto openai = store_key(host, alice, "openai", "sk-live-1");
  REQUIRE_FALSE(openai.empty());
  REQUIRE(call(host, alice, "POST", "/v1/keys",
               bj::value{{"name", "google-oauth"},
                         {"provider", "google-oauth"},
                         {"credential_type", "oauth2"},
                         {"client_id", "cid"},
                         {"client_secret", "cs-1_secret"},
                         {"refresh_token", "rt-1_secret"}})
              .status == 201);

  auto r = reveal(host, alice, {"openai", "google-oauth", "nope"});
  REQUIRE(r.status == 200);
  auto b = body_json(r);
  const auto& keys = b.at("keys").as_array();
  REQUIRE(keys.size() == 2);
  CHECK(b.at("missing") == bj::array{"nope"});

  CHECK(str(keys[0].at("id")) == openai);
  CHECK(keys[0].at("name") == "openai");
  CHECK(keys[0].at("credential_type") == "api_key");
  CHECK(keys[0].at("value") == "sk-live-1");
  CHECK(keys[0].at("env_name") == "OPENAI");
  CHECK(keys[0].at("deprecated_alias") == false);

  CHECK(keys[1].at("credential_type") == "oauth2");
  const auto& fields = keys[1].at("fields");
  CHECK(fields.at("client_id") == "cid");
  CHECK(fields.at("client_secret") == "cs-1_secret");
  CHECK(fields.at("refresh_token") == "rt-1_secret");
  CHECK(fields.at("authorize_url") == "https://accounts.google.com/o/oauth2/v2/auth");
  CHECK(keys[1].at("env_names").at("client_secret") == "GOOGLE_OAUTH_CLIENT_SECRET");
  CHECK(keys[1].at("env_names").at("client_id") == "GOOGLE_OAUTH_CLIENT_ID");
  CHECK(keys[1].as_object().if_contains("value") == nullptr);

  // one audit row per revealed key, metadata only; last_used_at set
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log WHERE action = 'key.reveal'") == 2);
  CHECK(scalar_int(host, "SELECT count(*) FROM keys WHERE last_used_at IS NULL") == 0);
  CHECK(scalar_int(host,
                   "SELECT count(*) FROM audit_log WHERE detail LIKE '%sk-live%' OR "
                   "detail LIKE '%cs-1%'") == 0);
  auto list = body_json(call(host, alice, "GET", "/v1/keys"));
  CHECK(list.at("keys").as_array()[0].at("last_used_at").is_string());
}

TEST_CASE("reveal by id, the same key twice yields two items but one audit row",
          "[vault][reveal]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "v_secret");
  auto r = reveal(host, alice, {id, "K", "K"});
  REQUIRE(r.status == 200);
  const auto parsed = body_json(r);
  const auto& keys = parsed.at("keys").as_array();
  REQUIRE(keys.size() == 2);  // duplicates in the request collapse
  CHECK(str(keys[0].at("requested_as")) == id);
  CHECK(keys[0].at("env_name") == "K");
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log WHERE action = 'key.reveal'") == 1);
}

TEST_CASE("a name used before a rename still resolves, flagged as deprecated",
          "[vault][reveal][rename]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "openai-key", "sk-1_secret");
  REQUIRE(call(host, alice, "POST", "/v1/keys/" + id + "/rename",
               bj::value{{"new_name", "OPENAI_API_KEY"}})
              .status == 200);
  auto r = reveal(host, alice, {"openai-key", "OPENAI_API_KEY"});
  REQUIRE(r.status == 200);
  auto b = body_json(r);
  const auto& keys = b.at("keys").as_array();
  REQUIRE(keys.size() == 2);
  CHECK(b.at("missing").as_array().empty());
  // old name: env var follows the requested (old) name, so old configs keep working
  CHECK(keys[0].at("name") == "OPENAI_API_KEY");
  CHECK(keys[0].at("requested_as") == "openai-key");
  CHECK(keys[0].at("deprecated_alias") == true);
  CHECK(keys[0].at("env_name") == "OPENAI_KEY");
  CHECK(keys[0].at("value") == "sk-1_secret");
  CHECK(keys[1].at("deprecated_alias") == false);
  CHECK(keys[1].at("env_name") == "OPENAI_API_KEY");
  CHECK(scalar(host, "SELECT detail FROM audit_log WHERE action = 'key.reveal'")
            ->find("old name openai-key") != std::string::npos);
}

TEST_CASE("paused keys are still revealed (pause blocks the proxy only)", "[vault][reveal]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "K", "v_secret");
  REQUIRE(call(host, alice, "POST", "/v1/keys/K/pause").status == 200);
  auto r = reveal(host, alice, {"K"});
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("keys").as_array()[0].at("paused") == true);
  CHECK(body_json(r).at("keys").as_array()[0].at("value") == "v_secret");
}

TEST_CASE("reveal bad input: 400, nothing written", "[vault][reveal][bad-input]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "K", "v_secret");
  const auto before = footprint(host);
  bj::array many;
  for (int i = 0; i < 51; ++i) many.emplace_back("k" + std::to_string(i));
  for (const std::string& body :
       {std::string("{"), std::string("{}"), std::string(R"({"keys":[]})"),
        std::string(R"({"keys":"K"})"), std::string(R"({"keys":[1]})"),
        std::string(R"({"keys":[""]})"), bj::serialize(bj::object{{"keys", many}}),
        std::string(R"({"keys":[")") + std::string(300, 'a') + "\"]}"}) {
    INFO(body.substr(0, 80));
    auto r = call(host, alice, "POST", "/v1/keys/reveal", body);
    CHECK(r.status == 400);
    CHECK(body_json(r).at("error").is_string());
  }
  CHECK(footprint(host) == before);
  // 50 is the maximum and works (all missing but one)
  bj::array fifty;
  for (int i = 0; i < 49; ++i) fifty.emplace_back("k" + std::to_string(i));
  fifty.emplace_back("K");
  auto r = reveal(host, alice, fifty);
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("missing").as_array().size() == 49);
}

TEST_CASE("a tampered or moved blob is refused, never returned as garbage",
          "[vault][reveal][crypto]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto a = store_key(host, alice, "A", "value-a_secret");
  auto b = store_key(host, alice, "B", "value-b_secret");
  const std::string ka = "blob/" + alice.user_id + "/" + a + "/1";
  const std::string kb = "blob/" + alice.user_id + "/" + b + "/1";
  // copy B's blob over A's: its AAD names key B, so it must not open as A
  host.kv()[ka] = host.kv()[kb];
  auto r = reveal(host, alice, {"A"});
  CHECK(r.status == 500);
  CHECK(body_json(r).at("code") == "sealed_value_unreadable");
  CHECK(r.body.find("value-") == std::string::npos);
  // a flipped byte
  host.kv()[kb].back() ^= 1;
  CHECK(reveal(host, alice, {"B"}).status == 500);
  // a missing blob (e.g. KV not replicated yet) is a retryable 503
  host.kv().erase(kb);
  auto missing = reveal(host, alice, {"B"});
  CHECK(missing.status == 503);
  CHECK(body_json(missing).at("code") == "value_not_replicated");
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log WHERE action = 'key.reveal'") == 0);
}
