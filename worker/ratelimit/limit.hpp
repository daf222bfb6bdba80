// Rate limits, counted in D1 so every isolate and location sees the same
// counts (docs/architecture.md: mutable state lives in D1; an in-memory counter would be
// per isolate), in fixed one-minute windows:
// - using secrets (proxy calls, reveals): per user and per credential (scoped
//   token, OAuth grant, device);
// - the unauthenticated OAuth endpoints (registration, token, revocation) and
//   Client ID Metadata Document fetches: per client address, since no
//   principal exists yet (or, for fetches, because one user may be many people);
// - failed guesses (wrong device user codes): per user and per client address,
//   counting only the failures, so normal use never meets the limit.
#pragma once
#include <cstdint>
#include <string>
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
/// credential's: token_id, else actor_id, else none) in one D1 batch, which
/// also purges every window older than the current one, and
/// refuses when either is over its limit for the current minute. Error 429
/// `rate_limited` with retry_after_s = seconds until the window ends and a
/// message naming the limit; 503 when D1 is unavailable. A refused request
/// still counts (so hammering does not reset anything).
async::Task<Result<void>> consume(api::Ctx& ctx, Action action);

/// What is limited per client address (docs/oauth.md "Rate limits"): RFC 7591
/// registration; the token endpoint together with RFC 7009 revocation; and
/// outbound fetches of Client ID Metadata Documents (a fetch is made on a
/// client's behalf to a URL it names, so each one is counted).
enum class Endpoint { registration, token, client_metadata };

/// Requests per minute per client address: registration 30, token 300,
/// client_metadata 20. Overridable with RATE_LIMIT_OAUTH_REGISTER_PER_IP,
/// RATE_LIMIT_OAUTH_TOKEN_PER_IP and RATE_LIMIT_OAUTH_CLIENT_METADATA_PER_IP; a
/// value that is not a positive integer is ignored.
std::int64_t per_address_limit(const config::Config& config, Endpoint endpoint);

/// The counter key of a client address (CF-Connecting-IP): an IPv4 address
/// (also written IPv4-mapped, `::ffff:a.b.c.d`) as a dotted quad; an IPv6 address as its /64
/// (`2001:db8:1:2::/64`), the block one subscriber gets (RFC 6177), so rotating addresses inside it
/// does not reset the count; anything else, including no address (local development), `unknown`.
std::string address_key(std::string_view client_ip);

/// Counts one request to `endpoint` from ctx.req.client_ip and refuses it when
/// the address is over its limit for the current minute: 429 `rate_limited`
/// with retry_after_s and a message naming the limit; 503 when D1 is
/// unavailable. A refused request still counts.
async::Task<Result<void>> consume_per_address(api::Ctx& ctx, Endpoint endpoint);

/// Guesses whose failures are limited: a user code looked up at /device that
/// matches no device_codes row (RFC 8628 §5.1: brute-forcing the user code).
enum class Guess { device_user_code };

/// Failures per minute allowed for `guess` before further attempts are
/// refused: device_user_code 5 per user and 20 per client address. Vars
/// RATE_LIMIT_DEVICE_CODE_FAILURES_PER_USER and
/// RATE_LIMIT_DEVICE_CODE_FAILURES_PER_IP override them.
struct FailureLimits {
  std::int64_t per_user;
  std::int64_t per_address;
};
FailureLimits failure_limits(const config::Config& config, Guess guess);

/// Whether ctx.principal's user and ctx.req.client_ip may make another attempt:
/// reads (never writes) their failure counters of the current one-minute
/// window. Error 429 `rate_limited` once either has reached its limit, with
/// retry_after_s = seconds until the window ends and a message naming the
/// limit; 503 when D1 is unavailable.
async::Task<Result<void>> check_failures(api::Ctx& ctx, Guess guess);

/// Counts one failed attempt for the user and the address (buckets
/// `<guess>_failures:user:<user_id>` and `…:ip:<address_key>`). Error 503 when
/// D1 is unavailable.
async::Task<Result<void>> count_failure(api::Ctx& ctx, Guess guess);

}  // namespace ve::ratelimit
