// Tenant isolation, no plaintext at rest, and consistency under concurrent
// requests (interleaved on one Driver over the same SQLite and KV).
#include <catch2/catch.hpp>

#include "tests/unit/host/vault_fixture.hpp"
#include "worker/crypto/encoding.hpp"
#include "worker/vault/guard.hpp"

using namespace ve::test;
namespace bj = boost::json;

TEST_CASE("another user's keys are invisible and untouchable: 404, nothing written",
          "[vault][isolation]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto mallory = add_user(host, "mallory@example.com");
  auto id = store_key(host, alice, "SHARED_NAME", "alice-secret");
  REQUIRE(call(host, alice, "POST", "/v1/keys/" + id + "/rename", bj::value{{"new_name", "K2"}})
              .status == 200);
  const auto before = footprint(host);

  for (const std::string& ref : {id, std::string("K2"), std::string("SHARED_NAME")}) {
    INFO(ref);
    CHECK(call(host, mallory, "GET", "/v1/keys/" + ref).status == 404);
    CHECK(call(host, mallory, "POST", "/v1/keys/" + ref + "/rotate", bj::value{{"key", "x_secret"}})
              .status == 404);
    CHECK(call(host, mallory, "POST", "/v1/keys/" + ref + "/rename", bj::value{{"new_name", "M"}})
              .status == 404);
    CHECK(call(host, mallory, "POST", "/v1/keys/" + ref + "/pause").status == 404);
    CHECK(call(host, mallory, "POST", "/v1/keys/" + ref + "/resume").status == 404);
    CHECK(call(host, mallory, "DELETE", "/v1/keys/" + ref).status == 404);
    auto r = call(host, mallory, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{ref}}});
    REQUIRE(r.status == 200);
    CHECK(body_json(r).at("keys").as_array().empty());
    CHECK(body_json(r).at("missing") == bj::array{ref});
  }
  CHECK(body_json(call(host, mallory, "GET", "/v1/keys")).at("keys").as_array().empty());
  CHECK(body_json(call(host, mallory, "GET", "/v1/activity")).at("logs").as_array().empty());
  CHECK(call(host, mallory, "GET", "/v1/activity?key_id=" + id).status == 200);
  CHECK(body_json(call(host, mallory, "GET", "/v1/activity?key_id=" + id))
            .at("logs")
            .as_array()
            .empty());
  CHECK(footprint(host) == before);

  // names are per user: mallory may use alice's names, current and old
  CHECK_FALSE(store_key(host, mallory, "SHARED_NAME", "m1_secret").empty());
  CHECK_FALSE(store_key(host, mallory, "K2", "m2_secret").empty());
  auto mine = call(host, mallory, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"K2"}}});
  CHECK(body_json(mine).at("keys").as_array()[0].at("value") == "m2_secret");
  auto hers = call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"K2"}}});
  CHECK(body_json(hers).at("keys").as_array()[0].at("value") == "alice-secret");
}

TEST_CASE("neither KV nor the database ever holds a value in the clear", "[vault][at-rest]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  const std::string v1 = "sk-proj-PLAINTEXT-canary-0123456789";
  const std::string v2 = "sk-proj-ROTATED-canary-9876543210";
  const std::string oauth_secret = "oauth-CLIENT-SECRET-canary";
  auto id = store_key(host, alice, "CANARY", v1);
  REQUIRE_FALSE(id.empty());
  REQUIRE(call(host, alice, "POST", "/v1/keys/CANARY/rotate", bj::value{{"key", v2}}).status ==
          200);
  REQUIRE(call(host, alice, "POST", "/v1/keys",
               bj::value{{"name", "O"},
                         {"provider", "google-oauth"},
                         {"credential_type", "oauth2"},
                         {"client_id", "cid"},
                         {"client_secret", oauth_secret}})
              .status == 201);
  REQUIRE(
      call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"CANARY", "O"}}})
          .status == 200);
  for (const std::string& secret : {v1, v2, oauth_secret}) {
    INFO(secret);
    CHECK_FALSE(stored_anywhere(host, secret));
    CHECK_FALSE(stored_anywhere(host, ve::crypto::base64_encode(secret)));
    CHECK_FALSE(stored_anywhere(host, ve::crypto::hex_encode(secret)));
    CHECK_FALSE(stored_anywhere(host, secret.substr(8, 16)));  // no fragment either
  }
  // ... and the master token is only there as its hash
  CHECK_FALSE(stored_anywhere(host, alice.token));
  // every blob is a v1 envelope, not the value
  for (const auto& [k, v] : host.kv()) CHECK(v.rfind("VEB\x01", 0) == 0);
}

TEST_CASE("a guard aborts its whole batch and is recognised", "[vault][consistency]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  ve::async::D1Batch batch;
  batch.statements.push_back(
      {"INSERT INTO audit_log (user_id, created_at, actor_kind, action, "
       "status) VALUES (?1, 1, 'system', 'x', 200)",
       {alice.user_id}});
  batch.statements.push_back(
      ve::vault::abort_if(ve::vault::Guard::key_changed, "?1 = 1", {std::int64_t{1}}));
  auto r = host.perform(batch);
  REQUIRE_FALSE(r.ok);
  ve::Error e{503, "unavailable", r.error};
  CHECK(ve::vault::tripped_guard(e) == ve::vault::Guard::key_changed);
  CHECK(ve::vault::surely_rolled_back(e));
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log") == 0);  // rolled back
  CHECK(scalar_int(host, "SELECT count(*) FROM batch_guard") == 0);

  batch.statements[1] =
      ve::vault::abort_if(ve::vault::Guard::key_changed, "?1 = 2", {std::int64_t{1}});
  CHECK(host.perform(batch).ok);
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log") == 1);
  CHECK(scalar_int(host, "SELECT count(*) FROM batch_guard") == 0);
}

TEST_CASE("concurrent rotations: one wins, the loser gets 409 and leaves no blob",
          "[vault][consistency][rotate]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "v1_secret");
  auto out =
      run_interleaved(host, {{&alice, "POST", "/v1/keys/K/rotate", R"({"key":"from-a_secret"})"},
                             {&alice, "POST", "/v1/keys/K/rotate", R"({"key":"from-b_secret"})"}});
  REQUIRE(out.size() == 2);
  CHECK(out[0].status == 200);
  CHECK(out[1].status == 409);
  CHECK(body_json(out[1]).at("code") == "concurrent_change");
  CHECK(scalar(host,
               "SELECT group_concat(version || ':' || stage, ' ') FROM (SELECT * FROM "
               "key_versions ORDER BY version)") == "1:previous 2:current");
  // distinct version numbers were reserved, so the two blobs never collided;
  // the loser deleted its own
  CHECK(host.kv().size() == 2);
  CHECK(host.kv().count("blob/" + alice.user_id + "/" + id + "/3") == 0);
  auto r = call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"K"}}});
  CHECK(body_json(r).at("keys").as_array()[0].at("value") == "from-a_secret");
  CHECK(host.live_tasks() == 0);
}

TEST_CASE("concurrent stores of one name: one 201, one 409, one blob", "[vault][consistency]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  const std::string body = R"({"name":"SAME","provider":"openai","key":"v_secret"})";
  auto out = run_interleaved(host, {{&alice, "POST", "/v1/keys", body},
                                    {&alice, "POST", "/v1/keys", body},
                                    {&alice, "POST", "/v1/keys", body}});
  CHECK(out[0].status == 201);
  CHECK(out[1].status == 409);
  CHECK(out[2].status == 409);
  CHECK(scalar_int(host, "SELECT count(*) FROM keys") == 1);
  CHECK(host.kv().size() == 1);
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log WHERE action = 'key.create'") == 1);
}

TEST_CASE("store racing a rename onto the same name: one of them gets 409",
          "[vault][consistency][rename]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "OLD", "v_secret");
  auto out = run_interleaved(
      host,
      {{&alice, "POST", "/v1/keys/OLD/rename", R"({"new_name":"NEW"})"},
       {&alice, "POST", "/v1/keys", R"({"name":"NEW","provider":"openai","key":"w_secret"})"}});
  CHECK(((out[0].status == 200 && out[1].status == 409) ||
         (out[0].status == 409 && out[1].status == 201)));
  CHECK(scalar_int(host, "SELECT count(*) FROM keys WHERE name = 'NEW'") == 1);
  CHECK(host.kv().size() == 1 + (out[1].status == 201 ? 1 : 0));
}

TEST_CASE("rotate racing delete: no dangling pointer, no blob left", "[vault][consistency]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  store_key(host, alice, "K", "v1_secret");
  auto out = run_interleaved(host, {{&alice, "POST", "/v1/keys/K/rotate", R"({"key":"v2_secret"})"},
                                    {&alice, "DELETE", "/v1/keys/K", ""}});
  CHECK(out[1].status == 200);
  CHECK((out[0].status == 404 || out[0].status == 200));
  CHECK(scalar_int(host, "SELECT count(*) FROM keys") == 0);
  CHECK(scalar_int(host, "SELECT count(*) FROM key_versions") == 0);
  CHECK(host.kv().empty());
}
