// Rotate, rename, pause/resume and delete: version stages and rotation history,
// blob deletion only after commit, old names, 404/409 with nothing written.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "tests/unit/host/vault_fixture.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {
std::string reveal_value(ve::host::HostRunner& host, const VaultUser& u, const std::string& ref) {
  auto r = call(host, u, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{ref}}});
  auto b = body_json(r);
  if (r.status != 200 || b.at("keys").as_array().empty()) return "<none>";
  return std::string(b.at("keys").as_array()[0].at("value").as_string());
}

std::string stages(ve::host::HostRunner& host, const std::string& key_id) {
  return scalar(host,
                "SELECT group_concat(version || ':' || coalesce(stage, 'retired'), ' ') "
                "FROM (SELECT * FROM key_versions WHERE key_id = '" +
                    key_id + "' ORDER BY version)")
      .value_or("");
}
}  // namespace

TEST_CASE("rotation history: current, previous, retired, old blobs deleted after commit",
          "[vault][rotate]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "value-1_secret");
  const std::string prefix = "blob/" + alice.user_id + "/" + id + "/";

  auto r2 =
      call(host, alice, "POST", "/v1/keys/" + id + "/rotate", bj::value{{"key", "value-2_secret"}});
  REQUIRE(r2.status == 200);
  auto b2 = body_json(r2);
  CHECK(b2.at("version") == 2);
  CHECK(b2.at("name") == "K");
  CHECK(b2.at("rotated_at").is_string());
  CHECK(stages(host, id) == "1:previous 2:current");
  CHECK(host.kv().count(prefix + "1") == 1);
  CHECK(reveal_value(host, alice, "K") == "value-2_secret");

  REQUIRE(
      call(host, alice, "POST", "/v1/keys/K/rotate", bj::value{{"key", "value-3_secret"}}).status ==
      200);
  CHECK(stages(host, id) == "1:retired 2:previous 3:current");
  CHECK(scalar_int(host,
                   "SELECT count(*) FROM key_versions WHERE version = 1 AND retired_at IS "
                   "NOT NULL") == 1);
  CHECK(host.kv().count(prefix + "1") == 0);  // retired: blob deleted
  CHECK(host.kv().count(prefix + "2") == 1);  // previous: kept
  CHECK(host.kv().count(prefix + "3") == 1);
  CHECK(reveal_value(host, alice, "K") == "value-3_secret");

  // every version row names the blob KV holds for it, written once per version
  CHECK(scalar_int(host,
                   "SELECT count(*) FROM key_versions WHERE blob_key <> 'blob/' || user_id "
                   "|| '/' || key_id || '/' || version") == 0);
  CHECK(scalar(host, "SELECT current_version FROM keys") == "3");
  CHECK(scalar_int(host, "SELECT count(*) FROM audit_log WHERE action = 'key.rotate'") == 2);
  auto list = body_json(call(host, alice, "GET", "/v1/keys"));
  CHECK(list.at("keys").as_array()[0].at("rotated_at").is_string());
  CHECK_FALSE(stored_anywhere(host, "value-"));
}

TEST_CASE("oauth2 rotation merges the rotated field into the current credential",
          "[vault][rotate]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto created = call(host, alice, "POST", "/v1/keys",
                      bj::value{{"name", "gh"},
                                {"provider", "github-oauth"},
                                {"credential_type", "oauth2"},
                                {"client_id", "cid"},
                                {"client_secret", "old-secret"},
                                {"refresh_token", "rt-1_secret"}});
  REQUIRE(created.status == 201);
  auto r =
      call(host, alice, "POST", "/v1/keys/gh/rotate", bj::value{{"client_secret", "new-secret"}});
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("rotated_fields") == bj::array{"client_secret"});
  auto rev =
      body_json(call(host, alice, "POST", "/v1/keys/reveal", bj::value{{"keys", bj::array{"gh"}}}));
  const auto& fields = rev.at("keys").as_array()[0].at("fields");
  CHECK(fields.at("client_secret") == "new-secret");
  CHECK(fields.at("client_id") == "cid");
  CHECK(fields.at("refresh_token") == "rt-1_secret");
  CHECK(fields.at("token_url") == "https://github.com/login/oauth/access_token");

  // wrong body for the credential type: 400, nothing reserved or written
  const auto before = footprint(host);
  auto wrong = call(host, alice, "POST", "/v1/keys/gh/rotate", bj::value{{"key", "x_secret"}});
  CHECK(wrong.status == 400);
  CHECK(body_json(wrong).at("code") == "wrong_credential_type");
  CHECK(footprint(host) == before);
}

TEST_CASE("rotate bad input and unknown keys: 4xx, nothing written", "[vault][rotate][bad-input]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "v1_secret");
  const auto before = footprint(host);
  for (const std::string& body :
       {std::string("not json"), std::string("{}"), std::string(R"({"key":""})"),
        std::string(R"({"key":5})"),
        std::string(R"({"key":"a_secret","client_secret":"b_secret"})"),
        "{\"key\":\"" + std::string(std::size_t{64} * 1024 + 1, 'z') + "\"}"}) {
    INFO(body.substr(0, 40));
    CHECK(call(host, alice, "POST", "/v1/keys/" + id + "/rotate", body).status == 400);
  }
  auto unknown = call(host, alice, "POST", "/v1/keys/key_doesnotexist/rotate",
                      bj::value{{"key", "v2_secret"}});
  CHECK(unknown.status == 404);
  CHECK(body_json(unknown).at("error").is_string());
  auto api_key_as_oauth =
      call(host, alice, "POST", "/v1/keys/K/rotate", bj::value{{"client_secret", "x_secret"}});
  CHECK(api_key_as_oauth.status == 400);
  CHECK(footprint(host) == before);
  CHECK(stages(host, id) == "1:current");
}

TEST_CASE("an abandoned version reservation is retired by the next rotation",
          "[vault][rotate][consistency]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "v1_secret");
  REQUIRE(call(host, alice, "POST", "/v1/keys/K/rotate", bj::value{{"key", "v2_secret"}}).status ==
          200);
  // A reservation abandoned long ago (its request died) is retired by the next
  // rotation, and its blob deleted.
  const std::string stale_blob = "blob/" + alice.user_id + "/" + id + "/3";
  char* err = nullptr;
  sqlite3_exec(
      host.db(),
      ("INSERT INTO key_versions (key_id, version, user_id, stage, kid, fingerprint, "
       "blob_key, created_at) VALUES ('" +
       id + "', 3, '" + alice.user_id + "', 'pending', 't1', '', '" + stale_blob + "', 1000)")
          .c_str(),
      nullptr, nullptr, &err);
  REQUIRE(err == nullptr);
  host.kv()[stale_blob] = "orphan";
  REQUIRE(call(host, alice, "POST", "/v1/keys/K/rotate", bj::value{{"key", "v4_secret"}}).status ==
          200);
  CHECK(stages(host, id) == "1:retired 2:previous 3:retired 4:current");
  CHECK(host.kv().count(stale_blob) == 0);
  CHECK(reveal_value(host, alice, "K") == "v4_secret");
}

TEST_CASE("rename: old name becomes an alias, collisions 409, renaming back works",
          "[vault][rename]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto a = store_key(host, alice, "A", "va_secret");
  auto b = store_key(host, alice, "B", "vb_secret");

  auto r = call(host, alice, "POST", "/v1/keys/" + a + "/rename", bj::value{{"new_name", "A2"}});
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("name") == "A2");
  CHECK(body_json(r).at("previous_name") == "A");
  CHECK(scalar(host, "SELECT name FROM key_aliases") == "A");
  CHECK(scalar(host, "SELECT action || ' ' || detail FROM audit_log WHERE action = 'key.rename'") ==
        "key.rename renamed from A");

  const auto before = footprint(host);
  auto to_b = call(host, alice, "POST", "/v1/keys/A2/rename", bj::value{{"new_name", "B"}});
  CHECK(to_b.status == 409);
  CHECK(body_json(to_b).at("code") == "name_taken");
  // B may not take A's old name either: it still resolves to A2
  CHECK(call(host, alice, "POST", "/v1/keys/B/rename", bj::value{{"new_name", "A"}}).status == 409);
  CHECK(call(host, alice, "POST", "/v1/keys/A2/rename", bj::value{{"new_name", "a/b"}}).status ==
        400);
  CHECK(call(host, alice, "POST", "/v1/keys/A2/rename", "{}").status == 400);
  CHECK(call(host, alice, "POST", "/v1/keys/nope/rename", bj::value{{"new_name", "Z"}}).status ==
        404);
  CHECK(footprint(host) == before);

  // same name: nothing to do
  auto same = call(host, alice, "POST", "/v1/keys/A2/rename", bj::value{{"new_name", "A2"}});
  CHECK(same.status == 200);
  CHECK(body_json(same).at("renamed") == false);
  CHECK(footprint(host) == before);

  // renaming back to its own old name: the alias goes, the other name becomes one
  REQUIRE(call(host, alice, "POST", "/v1/keys/A2/rename", bj::value{{"new_name", "A"}}).status ==
          200);
  CHECK(scalar(host, "SELECT group_concat(name) FROM key_aliases") == "A2");
  CHECK(scalar(host, "SELECT name FROM keys WHERE id = '" + a + "'") == "A");
  (void)b;
}

TEST_CASE("pause and resume: 409 when already so", "[vault][pause]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto id = store_key(host, alice, "K", "v_secret");
  // the CLI sends Content-Type: application/json and no body
  auto p = call(host, alice, "POST", "/v1/keys/" + id + "/pause");
  REQUIRE(p.status == 200);
  CHECK(body_json(p).at("paused_at").is_string());
  const auto before = footprint(host);
  auto again = call(host, alice, "POST", "/v1/keys/" + id + "/pause");
  CHECK(again.status == 409);
  CHECK(body_json(again).at("code") == "already_paused");
  CHECK(footprint(host) == before);

  REQUIRE(call(host, alice, "POST", "/v1/keys/K/resume", "{}").status == 200);
  CHECK(scalar(host, "SELECT paused_at FROM keys") == std::nullopt);
  auto twice = call(host, alice, "POST", "/v1/keys/K/resume");
  CHECK(twice.status == 409);
  CHECK(body_json(twice).at("code") == "not_paused");
  CHECK(call(host, alice, "POST", "/v1/keys/K/pause", "{oops").status == 400);
  CHECK(call(host, alice, "POST", "/v1/keys/nope/pause").status == 404);
  CHECK(scalar_int(host,
                   "SELECT count(*) FROM audit_log WHERE action IN ('key.pause', "
                   "'key.resume')") == 2);
}

TEST_CASE("delete by id or by name: rows, old names and blobs go, the audit row stays",
          "[vault][delete]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto a = store_key(host, alice, "A", "va_secret");
  auto b = store_key(host, alice, "B", "vb_secret");
  REQUIRE(call(host, alice, "POST", "/v1/keys/A/rotate", bj::value{{"key", "va2_secret"}}).status ==
          200);
  REQUIRE(call(host, alice, "POST", "/v1/keys/A/rename", bj::value{{"new_name", "A1"}}).status ==
          200);

  auto d = call(host, alice, "DELETE", "/v1/keys/A1");
  REQUIRE(d.status == 200);
  CHECK(str(body_json(d).at("id")) == a);
  CHECK(scalar_int(host, "SELECT count(*) FROM keys WHERE id = '" + a + "'") == 0);
  CHECK(scalar_int(host, "SELECT count(*) FROM key_versions WHERE key_id = '" + a + "'") == 0);
  CHECK(scalar_int(host, "SELECT count(*) FROM key_aliases") == 0);
  for (const auto& [k, v] : host.kv()) CHECK(k.find(a) == std::string::npos);
  CHECK(scalar(host, "SELECT key_name FROM audit_log WHERE action = 'key.delete'") == "A1");
  // the freed names may be used again
  CHECK_FALSE(store_key(host, alice, "A", "new_secret").empty());

  REQUIRE(call(host, alice, "DELETE", "/v1/keys/" + b).status == 200);
  const auto before = footprint(host);
  CHECK(call(host, alice, "DELETE", "/v1/keys/" + b).status == 404);
  CHECK(call(host, alice, "DELETE", "/v1/keys/nope").status == 404);
  CHECK(footprint(host) == before);
}
