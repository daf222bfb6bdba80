// Rate limits on using secrets (proxy calls, reveals), counted in D1 so every
// isolate and location sees the same counts (DESIGN.md: mutable state lives in
// D1; an in-memory counter would be per isolate). Fixed one-minute windows per
// user and per credential (scoped token, OAuth grant, device).
#pragma once
#include <cstdint>
#include <string_view>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::ratelimit {

/// What is being limited; each has its own counters and limits.
enum class Action { proxy, reveal };

/// Requests per minute, per user and per credential. Overridable with the vars
/// `RATE_LIMIT_<ACTION>_PER_USER` and `RATE_LIMIT_<ACTION>_PER_TOKEN` (e.g.
/// RATE_LIMIT_PROXY_PER_USER=600); a value that is not a positive integer is ignored.
struct Limits {
  std::int64_t per_user;
  std::int64_t per_token;
};
Limits limits(const config::Config& config, Action action);

/// Counts one `action` by ctx.principal (both its user's counter and its
/// credential's: token_id, else actor_id, else none) in one D1 batch, and
/// refuses when either is over its limit for the current minute. Error 429
/// `rate_limited` with retry_after_s = seconds until the window ends and a
/// message naming the limit; 503 when D1 is unavailable. A refused request
/// still counts (so hammering does not reset anything).
async::Task<Result<void>> consume(api::Ctx& ctx, Action action);

}  // namespace ve::ratelimit
