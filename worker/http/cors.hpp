// CORS (Fetch standard §3.2) for the few endpoints any web origin may call
// without credentials: the answers browser-based OAuth clients need to read
// (docs/oauth.md "Cross-origin requests"). Never used with cookies: the allowed
// origin is always `*`, which browsers refuse for credentialed requests.
#pragma once
#include <string_view>
#include <vector>

#include "worker/http/message.hpp"

namespace ve::http {

/// Adds `Access-Control-Allow-Origin: *` and exposes `WWW-Authenticate` and
/// `Retry-After` (not CORS-safelisted response headers) to the page's script.
void allow_any_origin(Response& response);

/// The answer to a preflight (an OPTIONS request) for a path whose routes
/// accept `methods`: 204, `Access-Control-Allow-Origin: *`, those methods,
/// the request headers such clients send (`Authorization`, `Content-Type`,
/// `MCP-Protocol-Version`), and `Access-Control-Max-Age: 86400` (seconds).
Response cors_preflight(const std::vector<std::string_view>& methods);

}  // namespace ve::http
