#include "worker/ratelimit/limit.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "worker/store/rows.hpp"
#include "worker/util/number.hpp"
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
  auto n = util::parse_int64(*v);
  return n && *n > 0 ? *n : fallback;
}

/// The statement that purges every window older than `window` (any bucket; an
/// index on window_start makes it read only those rows), so the table holds
/// only this minute's counters. It goes first in each counting batch.
async::Statement purge_before(std::int64_t window) {
  return {"DELETE FROM rate_limits WHERE window_start < ?1", {window}};
}

/// The statement that counts one request in `bucket` and returns the count.
async::Statement count_in(const std::string& bucket, std::int64_t window) {
  return {
      "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1) "
      "ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1 "
      "RETURNING count",
      {bucket, window}};
}

/// The current one-minute window, and what a refusal in it says.
struct Window {
  std::int64_t start;
  int retry_after_s;

  static Window now() {
    const std::int64_t t = util::now_ms();
    const std::int64_t start = t - t % kWindowMs;
    return {start, static_cast<int>((start + kWindowMs - t + 999) / 1000)};
  }

  Error refusal(std::string_view what, std::int64_t limit, std::string_view whose) const {
    return Error{429, "rate_limited",
                 "rate limit reached: at most " + std::to_string(limit) + " " + std::string(what) +
                     " requests per minute " + std::string(whose) + "; retry in " +
                     std::to_string(retry_after_s) + " s",
                 retry_after_s};
  }

  Error failures_refusal(std::int64_t limit, std::string_view whose) const {
    return Error{429, "rate_limited",
                 "too many wrong codes: at most " + std::to_string(limit) +
                     " failed attempts per minute " + std::string(whose) + "; retry in " +
                     std::to_string(retry_after_s) + " s",
                 retry_after_s};
  }
};

/// A per-address bucket prefix and how a refusal names what was limited.
struct Named {
  std::string_view bucket, what;
};
Named endpoint_name(Endpoint e) {
  switch (e) {
    case Endpoint::registration:
      return {"oauth_register", "client registration"};
    case Endpoint::token:
      return {"oauth_token", "token endpoint"};
    case Endpoint::client_metadata:
      return {"oauth_client_metadata", "client metadata document fetch"};
  }
  return {"unknown", "unknown"};
}

/// The failure counters of ctx's user and client address for `guess`.
struct FailureBuckets {
  std::string user, address;
};
FailureBuckets failure_buckets(const api::Ctx& ctx, Guess) {
  const std::string prefix = "device_code_failures";
  return {prefix + ":user:" + ctx.principal.user_id,
          prefix + ":ip:" + address_key(ctx.req.client_ip)};
}

/// The count an upsert of count_in returned, as statement `i` of the batch.
std::int64_t count_at(const std::vector<async::Rows>& rows, std::size_t i) {
  return store::integer(rows[i], 0, "count").value_or(0);
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
  const Window window = Window::now();
  const std::string name(action_name(action));
  const std::string credential = !p.token_id.empty() ? p.token_id : p.actor_id;
  std::vector<async::Statement> batch{purge_before(window.start),
                                      count_in(name + ":user:" + p.user_id, window.start)};
  if (!credential.empty()) batch.push_back(count_in(name + ":token:" + credential, window.start));
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const Limits l = limits(ctx.config, action);
  if (count_at(rows.value(), 1) > l.per_user) {
    co_return window.refusal(name, l.per_user, "per user");
  }
  if (!credential.empty() && count_at(rows.value(), 2) > l.per_token) {
    co_return window.refusal(name, l.per_token, "per token");
  }
  co_return Result<void>();
}

std::int64_t per_address_limit(const config::Config& config, Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::registration:
      return var_or(config, "RATE_LIMIT_OAUTH_REGISTER_PER_IP", 30);
    case Endpoint::token:
      return var_or(config, "RATE_LIMIT_OAUTH_TOKEN_PER_IP", 300);
    case Endpoint::client_metadata:
      return var_or(config, "RATE_LIMIT_OAUTH_CLIENT_METADATA_PER_IP", 20);
  }
  return 1;
}

std::string address_key(std::string_view client_ip) {
  // The edge sends a plain dotted quad or RFC 4291 text, so libc's strict
  // parser is the right one (not the proxy's WHATWG host parser); rebuilding
  // the text from the bytes makes the key canonical whatever the spelling.
  const std::string text(client_ip);  // NUL-terminated for inet_pton
  std::array<unsigned char, 16> b{};
  std::array<char, INET6_ADDRSTRLEN> out{};
  const auto v4_text = [&](const unsigned char* v4) -> std::string {
    return inet_ntop(AF_INET, v4, out.data(), out.size()) != nullptr ? out.data() : "unknown";
  };
  if (inet_pton(AF_INET, text.c_str(), b.data()) == 1) return v4_text(b.data());
  if (inet_pton(AF_INET6, text.c_str(), b.data()) != 1) return "unknown";
  constexpr std::array<unsigned char, 12> kV4Mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kV4Mapped.begin(), kV4Mapped.end(), b.begin())) return v4_text(b.data() + 12);
  std::fill(b.begin() + 8, b.end(), 0);  // the /64
  if (inet_ntop(AF_INET6, b.data(), out.data(), out.size()) == nullptr) return "unknown";
  return std::string(out.data()) + "/64";
}

async::Task<Result<void>> consume_per_address(api::Ctx& ctx, Endpoint endpoint) {
  const Window window = Window::now();
  const Named named = endpoint_name(endpoint);
  std::vector<async::Statement> batch{
      purge_before(window.start),
      count_in(std::string(named.bucket) + ":ip:" + address_key(ctx.req.client_ip), window.start)};
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const std::int64_t limit = per_address_limit(ctx.config, endpoint);
  if (count_at(rows.value(), 1) > limit) {
    co_return window.refusal(named.what, limit, "per client address");
  }
  co_return Result<void>();
}

FailureLimits failure_limits(const config::Config& config, Guess) {
  return {var_or(config, "RATE_LIMIT_DEVICE_CODE_FAILURES_PER_USER", 5),
          var_or(config, "RATE_LIMIT_DEVICE_CODE_FAILURES_PER_IP", 20)};
}

async::Task<Result<void>> check_failures(api::Ctx& ctx, Guess guess) {
  const Window window = Window::now();
  const FailureBuckets b = failure_buckets(ctx, guess);
  std::vector<async::Statement> batch{
      {"SELECT bucket, count FROM rate_limits WHERE window_start = ?1 AND bucket IN (?2, ?3)",
       {window.start, b.user, b.address}}};
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const FailureLimits l = failure_limits(ctx.config, guess);
  const auto& r = rows.value()[0];
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const bool user = store::text_or_empty(r, i, "bucket") == b.user;
    const std::int64_t limit = user ? l.per_user : l.per_address;
    if (store::integer(r, i, "count").value_or(0) >= limit) {
      co_return window.failures_refusal(limit, user ? "per user" : "per client address");
    }
  }
  co_return Result<void>();
}

async::Task<Result<void>> count_failure(api::Ctx& ctx, Guess guess) {
  const Window window = Window::now();
  const FailureBuckets b = failure_buckets(ctx, guess);
  std::vector<async::Statement> batch{purge_before(window.start), count_in(b.user, window.start),
                                      count_in(b.address, window.start)};
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  co_return Result<void>();
}

}  // namespace ve::ratelimit
