// One proxy call, shared by the REST routes and the MCP tool proxy_request
// (docs/proxy.md "The proxy", steps 1-7): the caller names a key and an
// upstream path; the key's value is injected server-side and never returned.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/effect.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::proxy {

/// Largest request body forwarded (the shim's limit), bytes.
inline constexpr std::size_t kMaxRequestBody = std::size_t{1024} * 1024;
/// Largest upstream response body accepted, bytes (FetchRequest::max_response_bytes).
inline constexpr std::uint32_t kMaxResponseBody = std::uint32_t{4} * 1024 * 1024;
/// Upstream timeout, milliseconds.
inline constexpr std::uint32_t kTimeoutMs = 30000;

/// What the caller asks to send.
struct ProxyRequest {
  std::string method;      ///< GET, HEAD, POST, PUT, PATCH or DELETE (upper-case)
  std::string path;        ///< upstream path with optional "?query", appended to the key's base_url
  async::Headers headers;  ///< the caller's headers (filtered by forwarded_request_headers)
  std::string body;        ///< raw bytes, at most kMaxRequestBody
};

/// What the caller gets back: the upstream's answer with the key scrubbed.
struct ProxyResponse {
  int status = 0;
  async::Headers headers;    ///< forwarded_response_headers, values scrubbed
  std::string body;          ///< raw bytes, scrubbed
  std::size_t redacted = 0;  ///< occurrences of the key replaced (headers + body)
  std::string key_id;        ///< the key used (for the MCP call's audit row)
};

/// Runs one proxy call as ctx.principal for the key `key_ref` (id, name or
/// former name), in this order:
/// 1. ratelimit::consume(Action::proxy): 429 `rate_limited` + retry_after_s.
/// 2. vault::open_current: 404 unknown key, 503 storage.
/// 3. may_use_key: 404 as for an unknown key (audited as `key_not_allowed`);
///    paused: 409 `key_paused`; no
///    base_url: 400 `no_base_url`; an oauth2 credential: 400
///    `unsupported_credential`; the request itself: 405 `method_not_allowed`,
///    413 `body_too_large`, 400 `invalid_header`.
/// 4. policy::destination: 403 `destination_refused`, 400 `invalid_forward_path`.
/// 5. fetch (timeout kTimeoutMs, max_response_bytes kMaxResponseBody,
///    redirects not followed): 504 `upstream_timeout`, 502
///    `upstream_too_large`, 502 `upstream_unreachable`.
///    A value shorter than vault::kMinValueBytes (stored before that rule): 409
///    `value_too_short`, before any call.
/// 6. a final status outside 200-599: 502 `upstream_invalid`; a body in a
///    content coding the runtime did not decode: 502 `upstream_encoding`
///    (response.hpp body_decoded); then the scrub of headers and body
///    (scrub.hpp).
/// 7. one audit row `key.proxy` (detail "METHOD host/path → status, N bytes";
///    never the query, headers or bodies), with `UPDATE keys SET
///    last_used_at` in the same D1 batch when the upstream was reached; a
///    refusal after step 2 is audited with our status. 503 when that batch
///    fails (the upstream's answer is then withheld).
/// The plaintext and every copy derived from it are wiped on every path.
async::Task<Result<ProxyResponse>> forward(api::Ctx& ctx, const std::string& key_ref,
                                           ProxyRequest request);

}  // namespace ve::proxy
