#include "worker/ratelimit/limit.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::ratelimit {

namespace {
constexpr std::int64_t kWindowMs = 60'000;

std::string_view action_name(Action a) {
  return a == Action::proxy ? "proxy" : "reveal";
}

std::int64_t var_or(const config::Config& config, const std::string& name, std::int64_t fallback) {
  auto v = config.var(name);
  if (!v) return fallback;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  return ec == std::errc() && end == v->data() + v->size() && n > 0 ? n : fallback;
}

/// The two statements that count one request in `bucket`: drop its older
/// windows, then upsert this window's counter and return it.
void count_in(std::vector<async::Statement>& batch, const std::string& bucket,
              std::int64_t window) {
  batch.push_back(
      {"DELETE FROM rate_limits WHERE bucket = ?1 AND window_start < ?2", {bucket, window}});
  batch.push_back(
      {"INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1) "
       "ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1 "
       "RETURNING count",
       {bucket, window}});
}
}  // namespace

Limits limits(const config::Config& config, Action action) {
  const bool proxy = action == Action::proxy;
  const std::string prefix = proxy ? "RATE_LIMIT_PROXY_" : "RATE_LIMIT_REVEAL_";
  return {var_or(config, prefix + "PER_USER", proxy ? 1200 : 600),
          var_or(config, prefix + "PER_TOKEN", proxy ? 600 : 300)};
}

async::Task<Result<void>> consume(api::Ctx& ctx, Action action) {
  const auto& p = ctx.principal;
  const std::int64_t now = util::now_ms();
  const std::int64_t window = now - now % kWindowMs;
  const std::string name(action_name(action));
  const std::string credential = !p.token_id.empty() ? p.token_id : p.actor_id;
  std::vector<async::Statement> batch;
  count_in(batch, name + ":user:" + p.user_id, window);
  if (!credential.empty()) count_in(batch, name + ":token:" + credential, window);
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const Limits l = limits(ctx.config, action);
  const auto count_at = [&](std::size_t i) {
    return store::integer(rows.value()[i], 0, "count").value_or(0);
  };
  const int retry = static_cast<int>((window + kWindowMs - now + 999) / 1000);
  auto refuse = [&](const std::string& whose, std::int64_t limit) {
    return Error{429, "rate_limited",
                 "rate limit reached: at most " + std::to_string(limit) + " " + name +
                     " requests per minute " + whose + "; retry in " + std::to_string(retry) + " s",
                 retry};
  };
  if (count_at(1) > l.per_user) co_return refuse("per user", l.per_user);
  if (!credential.empty() && count_at(3) > l.per_token) {
    co_return refuse("per token", l.per_token);
  }
  co_return Result<void>();
}

}  // namespace ve::ratelimit
