// The vault's MCP tools (worker/mcp/tools/), called through Tool::call on the
// host runner: catalog and schemas, every tool's success path with its
// structuredContent checked against its outputSchema, failures as isError
// results that say what to fix with nothing written, tenant isolation,
// authorization by principal kind and scope, and no secret in any error.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <set>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/mcp_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"

using namespace ve::test;
namespace bj = boost::json;
using ve::mcp::ToolResult;

namespace {

constexpr const char* kSecret = "sk-test-MCPSECRET-0123456789abcdef";
constexpr const char* kSecret2 = "sk-test-MCPSECRET-rotated-fedcba98";

bj::value parsed(std::string_view text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec) return nullptr;
  return v;
}

/// The structured content, after checking it against the tool's outputSchema
/// and that the text block carries the same object.
bj::object checked(std::string_view tool, const ToolResult& r) {
  INFO(tool << ": " << result_text(r));
  REQUIRE_FALSE(r.is_error);
  REQUIRE(r.structured.has_value());
  const bj::value schema = parsed(ve::test::vault_tool(tool).output_schema);
  const std::string why = schema_violation(schema, *r.structured);
  INFO(why);
  CHECK(why.empty());
  CHECK(parsed(result_text(r)) == bj::value(*r.structured));
  return *r.structured;
}

void exec_sql(ve::host::HostRunner& host, const std::string& sql) {
  REQUIRE(sqlite3_exec(host.db(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
}

std::string error_of(const ToolResult& r) {
  REQUIRE(r.is_error);
  REQUIRE_FALSE(r.structured.has_value());
  return result_text(r);
}

}  // namespace

TEST_CASE("mcp tools: catalog names and schemas and honest annotations", "[mcp][tools]") {
  const std::set<std::string> expected = {
      "list_keys",     "get_key_metadata", "reveal_key",
      "proxy_request", "store_key",        "store_oauth_credential",
      "rename_key",    "rotate_key",       "pause_key",
      "resume_key",    "delete_key",       "list_providers",
      "get_activity",  "run_doctor",       "list_devices",
      "revoke_device", "create_token",     "list_tokens",
      "pause_token",   "resume_token",     "revoke_token"};
  const std::set<std::string> read_only = {"list_keys",      "get_key_metadata", "reveal_key",
                                           "list_providers", "get_activity",     "run_doctor",
                                           "list_devices",   "list_tokens"};
  const std::set<std::string> destructive = {"rotate_key", "delete_key", "revoke_device",
                                             "revoke_token", "proxy_request"};
  // Only proxy_request reaches outside the vault (a provider's API), with its own scope.
  const std::set<std::string> open_world = {"proxy_request"};
  // The tools a scoped token may call: those that stay within its allowed keys.
  const std::set<std::string> per_key = {"list_keys", "get_key_metadata", "reveal_key",
                                         "proxy_request", "list_providers"};
  std::set<std::string> names;
  for (const auto& t : ve::mcp::vault_tools()) {
    const std::string name(t.name);
    INFO(name);
    CHECK(names.insert(name).second);
    CHECK(t.call != nullptr);
    CHECK(t.title.size() > 3);
    CHECK(t.description.size() > 80);
    const bj::value in = parsed(t.input_schema);
    REQUIRE(in.is_object());
    CHECK(in.at("type") == "object");
    CHECK(in.at("additionalProperties") == false);
    REQUIRE(in.at("properties").is_object());
    for (const auto& [prop, schema] : in.at("properties").as_object()) {
      INFO(std::string(prop));
      CHECK(schema.as_object().contains("description"));
      if (schema.as_object().if_contains("type") && schema.at("type") == "string") {
        CHECK((schema.as_object().contains("maxLength") || schema.as_object().contains("enum")));
      }
    }
    if (const auto* req = in.as_object().if_contains("required")) {
      for (const auto& r : req->as_array())
        CHECK(in.at("properties").as_object().contains(r.as_string()));
    }
    const bj::value out = parsed(t.output_schema);
    REQUIRE(out.is_object());
    CHECK(out.at("type") == "object");
    CHECK(out.as_object().contains("required"));
    CHECK(t.annotations.read_only == (read_only.count(name) == 1));
    CHECK(t.annotations.destructive == (destructive.count(name) == 1));
    CHECK(t.annotations.open_world == (open_world.count(name) == 1));
    CHECK(t.honours_allowed_keys == (per_key.count(name) == 1));
    CHECK(t.scope == (open_world.count(name) == 1 ? "vault:proxy"
                      : t.annotations.read_only   ? "vault:read"
                                                  : "vault:write"));
  }
  CHECK(names == expected);
  // reveal_key is read-only but says plainly that it exposes the secret.
  const std::string reveal(ve::test::vault_tool("reveal_key").description);
  CHECK(reveal.find("SECRET VALUE") != std::string::npos);
  CHECK(reveal.find("apilocker run") != std::string::npos);
}

TEST_CASE("mcp tools: store and list with filters and metadata and never a value", "[mcp][tools]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");

  auto stored = call_tool(host, a, "store_key",
                          {{"name", "OPENAI_API_KEY"},
                           {"provider", "openai"},
                           {"value", kSecret},
                           {"tags", bj::array{"prod", "ml"}}});
  auto key = checked("store_key", stored);
  CHECK(key.at("name") == "OPENAI_API_KEY");
  CHECK(key.at("category") == "llm");
  CHECK(stored.key_id == std::optional<std::string>(str(key.at("id"))));
  CHECK(result_text(stored).find(kSecret) == std::string::npos);
  CHECK(scalar_int(host,
                   "SELECT COUNT(*) FROM audit_log WHERE action = 'key.create' AND client = "
                   "'mcp-test-client' AND source_ip = '203.0.113.7' AND country = 'NZ'") == 1);

  auto oauth = call_tool(host, a, "store_oauth_credential",
                         {{"name", "google-oauth"},
                          {"provider", "google-oauth"},
                          {"client_id", "cid.apps.example"},
                          {"client_secret", "GOCSPX-secret-value-123"},
                          {"scopes", bj::array{"openid", "email"}}});
  auto okey = checked("store_oauth_credential", oauth);
  CHECK(okey.at("credential_type") == "oauth2");
  CHECK(okey.at("category") == "oauth");
  CHECK(result_text(oauth).find("GOCSPX") == std::string::npos);
  call_tool(host, a, "store_key",
            {{"name", "STRIPE_KEY"}, {"provider", "stripe"}, {"value", "sk_live_x1"}});

  auto all = checked("list_keys", call_tool(host, a, "list_keys"));
  CHECK(all.at("count") == 3);
  auto llm = checked("list_keys", call_tool(host, a, "list_keys", {{"category", "llm"}}));
  REQUIRE(llm.at("count") == 1);
  CHECK(llm.at("keys").as_array()[0].at("name") == "OPENAI_API_KEY");
  CHECK(
      checked("list_keys", call_tool(host, a, "list_keys", {{"provider", "stripe"}})).at("count") ==
      1);
  CHECK(checked("list_keys", call_tool(host, a, "list_keys", {{"tag", "ml"}})).at("count") == 1);
  CHECK(checked("list_keys",
                call_tool(host, a, "list_keys", {{"tag", "ml"}, {"category", "service"}}))
            .at("count") == 0);
  CHECK(result_text(call_tool(host, a, "list_keys")).find(kSecret) == std::string::npos);

  auto meta = call_tool(host, a, "get_key_metadata", {{"key", "OPENAI_API_KEY"}});
  auto m = checked("get_key_metadata", meta);
  CHECK(m.at("versions").as_array().size() == 1);
  CHECK(meta.key_id == std::optional<std::string>(str(key.at("id"))));
  CHECK(result_text(meta).find(kSecret) == std::string::npos);

  auto providers =
      checked("list_providers", call_tool(host, a, "list_providers", {{"category", "oauth"}}));
  REQUIRE_FALSE(providers.at("providers").as_array().empty());
  for (const auto& p : providers.at("providers").as_array()) CHECK(p.at("category") == "oauth");
}

TEST_CASE("mcp tools: reveal_key returns the value with an audit row even when paused",
          "[mcp][tools]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  const std::string id = store_key(host, a, "OPENAI_API_KEY", kSecret);
  auto r = call_tool(host, a, "reveal_key", {{"key", "OPENAI_API_KEY"}});
  auto v = checked("reveal_key", r);
  CHECK(v.at("value") == kSecret);
  CHECK(v.at("env_name") == "OPENAI_API_KEY");
  CHECK(r.key_id == std::optional<std::string>(id));
  CHECK(
      scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'key.reveal' AND key_id = '" +
                           id + "' AND client = 'mcp-test-client'") == 1);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM keys WHERE last_used_at IS NOT NULL") == 1);

  REQUIRE_FALSE(call_tool(host, a, "pause_key", {{"key", id}}).is_error);
  CHECK(checked("reveal_key", call_tool(host, a, "reveal_key", {{"key", id}})).at("paused") ==
        true);

  auto missing = call_tool(host, a, "reveal_key", {{"key", "NOPE"}});
  auto msg = error_of(missing);
  CHECK(missing.status == 404);
  CHECK(msg.find("NOPE") != std::string::npos);
  CHECK(msg.find("list_keys") != std::string::npos);
}

TEST_CASE("mcp tools: rotate and rename and pause and resume and delete", "[mcp][tools]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  const std::string id = store_key(host, a, "OPENAI_API_KEY", kSecret);

  auto rot = call_tool(host, a, "rotate_key", {{"key", "OPENAI_API_KEY"}, {"value", kSecret2}});
  auto r = checked("rotate_key", rot);
  CHECK(r.at("version") == 2);
  CHECK(r.at("previous_version") == 1);
  CHECK(rot.key_id == std::optional<std::string>(id));
  CHECK(result_text(rot).find(kSecret2) == std::string::npos);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'key.rotate'") == 1);
  CHECK(checked("reveal_key", call_tool(host, a, "reveal_key", {{"key", id}})).at("value") ==
        kSecret2);

  auto ren = checked("rename_key",
                     call_tool(host, a, "rename_key", {{"key", id}, {"new_name", "OPENAI_KEY"}}));
  CHECK(ren.at("renamed") == true);
  CHECK(ren.at("previous_name") == "OPENAI_API_KEY");
  // Idempotent: the same call again (the old name still resolves) changes nothing.
  auto again = checked(
      "rename_key",
      call_tool(host, a, "rename_key", {{"key", "OPENAI_API_KEY"}, {"new_name", "OPENAI_KEY"}}));
  CHECK(again.at("renamed") == false);

  auto paused = checked("pause_key", call_tool(host, a, "pause_key", {{"key", "OPENAI_KEY"}}));
  CHECK(paused.at("paused") == true);
  const auto audit_before = footprint(host);
  auto twice = call_tool(host, a, "pause_key", {{"key", "OPENAI_KEY"}});
  CHECK(twice.status == 409);
  CHECK(error_of(twice).find("already paused") != std::string::npos);
  CHECK(footprint(host) == audit_before);
  CHECK(checked("resume_key", call_tool(host, a, "resume_key", {{"key", "OPENAI_KEY"}}))
            .at("paused") == false);
  auto not_paused = call_tool(host, a, "resume_key", {{"key", "OPENAI_KEY"}});
  CHECK(not_paused.status == 409);
  CHECK(error_of(not_paused).find("not paused") != std::string::npos);

  auto del = call_tool(host, a, "delete_key", {{"key", "OPENAI_KEY"}});
  CHECK(checked("delete_key", del).at("deleted") == true);
  CHECK(del.key_id == std::optional<std::string>(id));
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM keys") == 0);
  CHECK(host.kv().empty());
  auto gone = call_tool(host, a, "delete_key", {{"key", "OPENAI_KEY"}});
  CHECK(gone.status == 404);
  CHECK(error_of(gone).find("list_keys") != std::string::npos);
}

TEST_CASE("mcp tools: failures are isError results that say what to fix and nothing written",
          "[mcp][tools][bad-input]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  store_key(host, a, "OPENAI_API_KEY", kSecret);
  const std::string oauth_id = [&] {
    auto r = call_tool(host, a, "store_oauth_credential",
                       {{"name", "gh-app"},
                        {"provider", "github-oauth"},
                        {"client_id", "Iv1.abc"},
                        {"client_secret", "gh-secret-1"}});
    return r.key_id.value_or("");
  }();
  REQUIRE_FALSE(oauth_id.empty());
  const auto before = footprint(host);

  struct Case {
    const char* tool;
    bj::object args;
    int status;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"store_key", {{"name", "OPENAI_API_KEY"}, {"value", kSecret2}}, 409, "rotate_key"},
      {"store_key",
       {{"name", "X"}, {"provider", "nonesuch"}, {"value", kSecret2}},
       400,
       "list_providers"},
      {"store_key", {{"name", "bad name/with slash"}, {"value", kSecret2}}, 400, "name"},
      {"store_oauth_credential", {{"name", "o2"}, {"client_id", "x"}}, 400, "client_secret"},
      {"rotate_key", {{"key", "OPENAI_API_KEY"}}, 400, "'value'"},
      {"rotate_key", {{"key", "OPENAI_API_KEY"}, {"client_secret", kSecret2}}, 400, "'value'"},
      {"rotate_key", {{"key", "gh-app"}, {"value", kSecret2}}, 400, "client_secret"},
      {"rotate_key", {{"key", "NOPE"}, {"value", kSecret2}}, 404, "list_keys"},
      {"rename_key", {{"key", "NOPE"}, {"new_name", "Y"}}, 404, "list_keys"},
      {"rename_key", {{"key", "OPENAI_API_KEY"}, {"new_name", "gh-app"}}, 409, "already exists"},
      {"pause_key", {{"key", "NOPE"}}, 404, "list_keys"},
      {"get_key_metadata", {{"key", "NOPE"}}, 404, "list_keys"},
      {"get_activity", {{"limit", 0}}, 400, "argument `limit`"},
      {"revoke_device", {{"device_id", "dev_nope"}}, 404, "list_devices"},
      {"run_doctor", {{"unused_after_days", 0}}, 400, "unused_after_days"},
  };
  for (const auto& c : cases) {
    auto r = call_tool(host, a, c.tool, c.args);
    const std::string text = result_text(r);
    INFO(c.tool << " " << bj::serialize(c.args) << " -> " << r.status << " " << text);
    CHECK(r.is_error);
    CHECK(r.status == c.status);
    CHECK(text.find(c.says) != std::string::npos);
    CHECK(text.find(kSecret2) == std::string::npos);
    CHECK(text.find("apilocker list") == std::string::npos);
    CHECK(footprint(host) == before);
  }
}

TEST_CASE("mcp tools: tenant isolation: user B never sees or touches A's keys and devices",
          "[mcp][tools][isolation]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  auto b = add_user(host, "b@example.com");
  const std::string id = store_key(host, a, "OPENAI_API_KEY", kSecret);
  const auto before = footprint(host);

  CHECK(checked("list_keys", call_tool(host, b, "list_keys")).at("count") == 0);
  for (const char* ref : {"OPENAI_API_KEY", id.c_str()}) {
    for (const char* tool :
         {"get_key_metadata", "reveal_key", "pause_key", "resume_key", "delete_key"}) {
      auto r = call_tool(host, b, tool, {{"key", ref}});
      INFO(tool << " " << ref);
      CHECK(r.is_error);
      CHECK(r.status == 404);
      CHECK(result_text(r).find(kSecret) == std::string::npos);
    }
    auto rot = call_tool(host, b, "rotate_key", {{"key", ref}, {"value", kSecret2}});
    CHECK(rot.status == 404);
    auto ren = call_tool(host, b, "rename_key", {{"key", ref}, {"new_name", "MINE"}});
    CHECK(ren.status == 404);
  }
  CHECK(footprint(host) == before);
  CHECK(checked("get_activity", call_tool(host, b, "get_activity")).at("count") == 0);
  CHECK(checked("get_activity", call_tool(host, b, "get_activity", {{"key", id}})).at("count") ==
        0);
  auto dev = call_tool(host, b, "revoke_device", {{"device_id", a.device_id}});
  CHECK(dev.status == 404);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL") == 2);
  auto devices = checked("list_devices", call_tool(host, b, "list_devices"));
  REQUIRE(devices.at("count") == 1);
  CHECK(str(devices.at("devices").as_array()[0].at("id")) == b.device_id);
  // B's own store of the same name is independent of A's.
  CHECK_FALSE(
      call_tool(host, b, "store_key", {{"name", "OPENAI_API_KEY"}, {"value", kSecret2}}).is_error);
  CHECK(checked("reveal_key", call_tool(host, a, "reveal_key", {{"key", "OPENAI_API_KEY"}}))
            .at("value") == kSecret);
}

TEST_CASE("mcp tools: get_activity pages and filters and devices listed and revoked",
          "[mcp][tools]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  const std::string id = store_key(host, a, "K1", "v1-value");
  store_key(host, a, "K2", "v2-value");
  call_tool(host, a, "reveal_key", {{"key", "K1"}});

  auto all = checked("get_activity", call_tool(host, a, "get_activity"));
  CHECK(all.at("count") == 3);
  CHECK(all.at("next_before").is_null());
  CHECK(all.at("logs").as_array()[0].at("action") == "key.reveal");
  auto page = checked("get_activity", call_tool(host, a, "get_activity", {{"limit", 2}}));
  CHECK(page.at("count") == 2);
  REQUIRE(page.at("next_before").is_int64());
  auto rest = checked(
      "get_activity",
      call_tool(host, a, "get_activity", {{"limit", 2}, {"before", page.at("next_before")}}));
  CHECK(rest.at("count") == 1);
  CHECK(rest.at("logs").as_array()[0].at("action") == "key.create");
  auto k1 = checked("get_activity", call_tool(host, a, "get_activity", {{"key", "K1"}}));
  CHECK(k1.at("count") == 2);
  for (const auto& l : k1.at("logs").as_array()) CHECK(str(l.at("key_id")) == id);

  // A second device; revoke it; the current one is flagged.
  exec_sql(host, "INSERT INTO devices (id, user_id, name, created_at) VALUES ('dev_second', '" +
                     a.user_id + "', 'old laptop', 1700000000000)");
  auto devices = checked("list_devices", call_tool(host, a, "list_devices"));
  REQUIRE(devices.at("count") == 2);
  for (const auto& d : devices.at("devices").as_array()) {
    CHECK(d.at("current") == (str(d.at("id")) == a.device_id));
  }
  auto revoked =
      checked("revoke_device", call_tool(host, a, "revoke_device", {{"device_id", "dev_second"}}));
  CHECK(revoked.at("revoked") == true);
  CHECK(revoked.at("current") == false);
  CHECK(checked("list_devices", call_tool(host, a, "list_devices")).at("count") == 1);
  CHECK(scalar_int(host, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.revoke'") == 1);
  CHECK(call_tool(host, a, "revoke_device", {{"device_id", "dev_second"}}).status == 404);
}

TEST_CASE("mcp tools: OAuth scopes and token kinds decide what may run", "[mcp][tools][authz]") {
  using Kind = ve::auth::Principal::Kind;
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  store_key(host, a, "K1", "v1-value");
  const auto before = footprint(host);

  const auto reader = principal_of(a, Kind::oauth, {"vault:read"});
  CHECK(checked("list_keys", call_tool(host, a, "list_keys", {}, reader)).at("count") == 1);
  auto refused =
      call_tool(host, a, "rotate_key", {{"key", "K1"}, {"value", "new-value-1"}}, reader);
  CHECK(refused.status == 403);
  CHECK(error_of(refused).find("vault:write") != std::string::npos);
  CHECK(call_tool(host, a, "delete_key", {{"key", "K1"}}, reader).status == 403);
  CHECK(footprint(host) == before);

  const auto writer = principal_of(a, Kind::oauth, {"vault:write"});
  CHECK(call_tool(host, a, "reveal_key", {{"key", "K1"}}, writer).status == 403);
  CHECK_FALSE(call_tool(host, a, "pause_key", {{"key", "K1"}}, writer).is_error);

  // A scoped token without allowed keys: the per-key tools see nothing, the rest refuse.
  const auto scoped = principal_of(a, Kind::scoped);
  CHECK(checked("list_keys", call_tool(host, a, "list_keys", {}, scoped)).at("count") == 0);
  CHECK(call_tool(host, a, "reveal_key", {{"key", "K1"}}, scoped).is_error);
  for (const char* tool : {"run_doctor", "list_devices", "list_tokens"}) {
    auto r = call_tool(host, a, tool, {}, scoped);
    INFO(tool);
    CHECK(r.status == 403);
  }
}
