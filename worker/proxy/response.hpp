// The caller's view of a provider's response (docs/proxy.md step 6): which
// upstream headers are passed back. Pure function.
#pragma once
#include "worker/async/effect.hpp"

namespace ve::proxy {

/// The upstream's headers minus hop-by-hop ones (RFC 9110 §7.6.1: Connection
/// and every name it lists, Keep-Alive, TE, Trailer, Transfer-Encoding,
/// Upgrade, Proxy-Connection, Proxy-Authenticate), Set-Cookie / Set-Cookie2
/// (the provider's session is not the caller's), Content-Length and
/// Content-Encoding (the body is the decoded, scrubbed one) and any
/// X-Locker-* header (ours). Names come out lower-case. Values are not
/// scrubbed here (see scrub_headers).
async::Headers forwarded_response_headers(const async::Headers& upstream);

}  // namespace ve::proxy
