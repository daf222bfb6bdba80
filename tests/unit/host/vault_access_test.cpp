// vault::open_current, the entry point for server-side use of a key (proxy,
// MCP): run on a Driver of its own over the host's SQLite and KV.
#include <catch2/catch.hpp>

#include "tests/unit/host/vault_fixture.hpp"
#include "worker/vault/access.hpp"

using namespace ve::test;

namespace {

ve::async::Task<ve::http::Reply> probe(const ve::config::Config* config, std::string user_id,
                                       std::string ref, ve::async::Io& io, ve::http::Request req) {
  ve::api::Ctx ctx{.config = *config, .io = io, .req = req};
  ctx.principal.kind = ve::auth::Principal::Kind::master;
  ctx.principal.user_id = std::move(user_id);
  auto opened = co_await ve::vault::open_current(ctx, ref);
  ve::http::Reply reply;
  reply.response.status = opened.ok() ? 200 : opened.error().status;
  reply.response.body =
      opened.ok() ? opened.value().key.name + "=" + opened.value().plaintext : opened.error().code;
  co_return reply;
}

ve::http::Response open_as(ve::host::HostRunner& host, const VaultUser& user,
                           const std::string& ref) {
  const ve::config::Config* config = &host.config();
  ve::async::Driver driver(
      [config, user_id = user.user_id, ref](ve::async::Io& io, ve::http::Request req) {
        return probe(config, user_id, ref, io, std::move(req));
      });
  ve::http::Request req;
  req.method = "GET";
  req.url = "http://127.0.0.1/probe";
  ve::http::parse_url(req.url, req);
  auto step = driver.begin(std::move(req));
  while (!step.done) {
    std::vector<std::pair<std::uint32_t, ve::async::EffectResult>> results;
    for (const auto& [id, e] : step.effects) results.emplace_back(id, host.perform(e));
    step = driver.resume(step.task_id, std::move(results));
  }
  return std::move(step.reply.response);
}

}  // namespace

TEST_CASE("open_current opens a key's current version, for its owner only", "[vault][access]") {
  auto host = make_runner();
  auto alice = add_user(host, "alice@example.com");
  auto bob = add_user(host, "bob@example.com");
  auto id = store_key(host, alice, "K", "v1_secret");
  REQUIRE(call(host, alice, "POST", "/v1/keys/K/rotate", boost::json::value{{"key", "v2_secret"}})
              .status == 200);
  REQUIRE(call(host, alice, "POST", "/v1/keys/K/rename", boost::json::value{{"new_name", "K2"}})
              .status == 200);
  for (const std::string& ref : {id, std::string("K2"), std::string("K")}) {
    auto r = open_as(host, alice, ref);
    CHECK(r.status == 200);
    CHECK(r.body == "K2=v2_secret");
  }
  auto other = open_as(host, bob, id);
  CHECK(other.status == 404);
  CHECK(other.body == "not_found");
  host.kv().clear();
  CHECK(open_as(host, alice, "K2").body == "value_not_replicated");
}
