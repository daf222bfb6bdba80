// The Driver interleaves many suspended requests; each resumes with its own
// results and every task is freed when it finishes (no leaks). Runs on the host
// and inside wasm.
#include "worker/async/driver.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

using namespace ve;

namespace {

/// A handler doing two sequential effect groups, the second with two parallel
/// effects, and echoing what it got back, so a mixed-up resume shows.
async::Task<http::Reply> echo_handler(async::Io& io, http::Request req) {
  std::vector<async::Effect> first;
  first.emplace_back(async::KvGet{"a/" + req.path});
  auto r1 = co_await io.perform(std::move(first));
  std::vector<async::Effect> second;
  second.emplace_back(async::KvGet{"b/" + req.path});
  second.emplace_back(async::KvGet{"c/" + req.path});
  auto r2 = co_await io.perform(std::move(second));
  http::Reply reply;
  for (auto* r : {&r1[0], &r2[0], &r2[1]}) {
    reply.response.body += std::get<async::KvValue>(r->value).value + ";";
  }
  co_return reply;
}

async::EffectResult answer(const async::Effect& e) {
  async::EffectResult r;
  r.ok = true;
  r.value = async::KvValue{true, std::get<async::KvGet>(e).key};
  return r;
}

}  // namespace

TEST_CASE("many overlapping requests resume independently and leave no task behind", "[driver]") {
  async::Driver driver(echo_handler);
  std::vector<async::Driver::Step> waiting;
  constexpr int kRequests = 64;
  for (int i = 0; i < kRequests; ++i) {
    http::Request req;
    req.path = "/r" + std::to_string(i);
    waiting.push_back(driver.begin(std::move(req)));
    REQUIRE_FALSE(waiting.back().done);
  }
  CHECK(driver.live() == kRequests);

  std::mt19937 rng(42);  // a fixed interleaving order, reproducible
  std::map<std::uint32_t, std::string> bodies;
  std::map<std::uint32_t, std::string> paths;
  for (int i = 0; i < kRequests; ++i) paths[waiting[i].task_id] = "/r" + std::to_string(i);
  while (!waiting.empty()) {
    std::shuffle(waiting.begin(), waiting.end(), rng);
    auto step = std::move(waiting.back());
    waiting.pop_back();
    std::vector<std::pair<std::uint32_t, async::EffectResult>> results;
    for (auto it = step.effects.rbegin(); it != step.effects.rend(); ++it) {  // any order
      results.emplace_back(it->first, answer(it->second));
    }
    auto next = driver.resume(step.task_id, std::move(results));
    if (next.done) {
      bodies[next.task_id] = next.reply.response.body;
    } else {
      waiting.push_back(std::move(next));
    }
  }
  CHECK(driver.live() == 0);
  REQUIRE(bodies.size() == kRequests);
  for (const auto& [id, body] : bodies) {
    const auto& p = paths[id];
    CHECK(body == "a/" + p + ";b/" + p + ";c/" + p + ";");
  }
}

TEST_CASE("a resume with the wrong effect ids fails that request only", "[driver]") {
  async::Driver driver(echo_handler);
  http::Request a, b;
  a.path = "/a";
  b.path = "/b";
  auto sa = driver.begin(a);
  auto sb = driver.begin(b);
  std::vector<std::pair<std::uint32_t, async::EffectResult>> wrong;
  wrong.emplace_back(sa.effects[0].first + 1000, answer(sa.effects[0].second));
  auto failed = driver.resume(sa.task_id, std::move(wrong));
  CHECK(failed.done);
  CHECK(failed.reply.response.status == 500);
  CHECK(driver.live() == 1);
  auto unknown = driver.resume(9999, {});
  CHECK(unknown.reply.response.status == 500);
  std::vector<std::pair<std::uint32_t, async::EffectResult>> right;
  right.emplace_back(sb.effects[0].first, answer(sb.effects[0].second));
  auto next = driver.resume(sb.task_id, std::move(right));
  CHECK_FALSE(next.done);
  CHECK(next.effects.size() == 2);
}

namespace {

/// Three groups: one KV get, two KV gets together, then a D1 batch beside a KV get.
async::Task<http::Reply> counted_handler(async::Io& io, http::Request) {
  std::vector<async::Effect> one;
  one.emplace_back(async::KvGet{"a"});
  co_await io.perform(std::move(one));
  std::vector<async::Effect> two;
  two.emplace_back(async::KvGet{"b"});
  two.emplace_back(async::KvGet{"c"});
  co_await io.perform(std::move(two));
  std::vector<async::Effect> mixed;
  mixed.emplace_back(async::D1Batch{});
  mixed.emplace_back(async::KvGet{"d"});
  co_await io.perform(std::move(mixed));
  co_await io.perform({});  // nothing to wait for: not a round trip
  const auto& t = io.round_trips();
  http::Reply reply;
  reply.response.body =
      std::to_string(t.d1) + " " + std::to_string(t.kv) + " " + std::to_string(t.fetch);
  co_return reply;
}

}  // namespace

TEST_CASE("Io counts one round trip per effect group and kind", "[driver]") {
  async::Driver driver(&counted_handler);
  auto step = driver.begin(http::Request{});
  while (!step.done) {
    std::vector<std::pair<std::uint32_t, async::EffectResult>> results;
    for (const auto& [id, e] : step.effects) {
      async::EffectResult r;
      r.ok = true;
      if (std::holds_alternative<async::D1Batch>(e)) {
        r.value = std::vector<async::Rows>{};
      } else {
        r.value = async::KvValue{};
      }
      results.emplace_back(id, std::move(r));
    }
    step = driver.resume(step.task_id, std::move(results));
  }
  CHECK(step.reply.response.body == "1 3 0");
}
