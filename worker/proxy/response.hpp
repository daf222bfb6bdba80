// The caller's view of a provider's response (docs/proxy.md step 6): which
// upstream headers are passed back. Pure function.
#pragma once
#include "worker/async/effect.hpp"

namespace ve::proxy {

/// The upstream's headers minus hop-by-hop ones (RFC 9110 §7.6.1: Connection
/// and every name it lists, Keep-Alive, TE, Trailer, Transfer-Encoding,
/// Upgrade, Proxy-Connection, Proxy-Authenticate), Set-Cookie / Set-Cookie2
/// (the provider's session is not the caller's), Content-Length and
/// Content-Encoding (the body is the decoded, scrubbed one), headers whose
/// power would apply to our origin rather than the provider's
/// (Service-Worker-Allowed, Clear-Site-Data, Refresh, Link, Alt-Svc,
/// Strict-Transport-Security, Origin-Agent-Cluster, Access-Control-*), the
/// ones the proxy sets itself (Content-Security-Policy[-Report-Only],
/// X-Content-Type-Options, Content-Disposition, X-Frame-Options) and any
/// X-Locker-* header (ours). Names come out lower-case. Values are not
/// scrubbed here (see scrub_headers).
async::Headers forwarded_response_headers(const async::Headers& upstream);

/// True when the body the runtime handed over is decoded: no Content-Encoding,
/// or only `identity` and at most one of the codings the Workers runtime
/// decodes itself (`gzip`, `x-gzip`, `br`; RFC 9110 §8.4). Any other coding
/// (`deflate`, `compress`, `zstd`, two layers, unknown names) reaches us still
/// encoded, where the scrubber cannot read it, so the answer must be refused.
bool body_decoded(const async::Headers& upstream);

}  // namespace ve::proxy
