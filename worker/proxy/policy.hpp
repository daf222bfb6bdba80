// Destination policy of the proxy (docs/proxy.md "The proxy", step 3): which
// upstream URL a proxy call may reach, given the key's stored base URL and the
// caller's forward path. Pure functions; the caller turns an Error into the
// REST or MCP failure.
#pragma once
#include <string>
#include <string_view>

#include "worker/result.hpp"

namespace ve::proxy {

/// A checked upstream URL and its parts for the audit row.
struct Destination {
  std::string url;   ///< base_url (without trailing '/') + forward path (with its query)
  std::string host;  ///< authority of the base URL (host[:port]), lower-case
  std::string path;  ///< the final URL's path, without query
};

/// Checks a stored base URL (RFC 3986 absolute URI): https with a host that is
/// a DNS name (letters, digits, '-', '_', '.'; not `localhost` or
/// `*.localhost`) or a public IP address in any form a WHATWG URL parser reads
/// (ip.hpp); no user info, query or fragment. When `development` is true,
/// `http://127.0.0.1:PORT`, `http://localhost:PORT` and `http://[::1]:PORT`
/// (any port, or none) are also accepted, so tests can reach a loopback
/// upstream. Error: 403 `destination_refused` naming the rule broken (never
/// echoing more than the URL's host).
Result<void> check_base_url(std::string_view base_url, bool development);

/// Checks a forward path (the caller's upstream path, optionally with
/// `?query`): starts with '/', not with "//"; no backslash, control character,
/// space, non-ASCII byte, '#' (fragment), or `..` / `.` segment — also when
/// percent-encoded (`%2e%2e`, `.%2E`), split by an encoded slash (`..%2f`) or
/// followed by path parameters (`..;`, `.;x`, which Java servers resolve);
/// at most 8192 bytes. Error: 400 `invalid_forward_path` saying what to fix.
Result<void> check_forward_path(std::string_view path);

/// Both checks, then the final URL = base_url (trailing '/' dropped) + path,
/// re-parsed to confirm it keeps the base URL's scheme and authority and stays
/// under its path. Errors: those of the two checks.
Result<Destination> destination(std::string_view base_url, std::string_view forward_path,
                                bool development);

}  // namespace ve::proxy
