// Per-address rate limits of the endpoints anyone may call (docs/oauth.md
// "Rate limits"), answered in the OAuth error shape those clients parse.
#include "worker/http/reply.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/server.hpp"

namespace ve::oauth::handlers {

async::Task<std::optional<http::Response>> over_limit(Ctx& ctx, ratelimit::Endpoint endpoint) {
  auto counted = co_await ratelimit::consume_per_address(ctx, endpoint);
  if (counted.ok()) co_return std::nullopt;
  const Error& e = counted.error();
  if (e.status != 429) co_return error_response(503, "temporarily_unavailable", e.message);
  http::Response r = error_response(429, "rate_limited", e.message);
  r.headers.emplace_back("retry-after", std::to_string(e.retry_after_s));
  co_return r;
}

}  // namespace ve::oauth::handlers
