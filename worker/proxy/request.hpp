// The outbound request of a proxy call (docs/proxy.md step 4): which of the
// caller's headers are forwarded, and how the key is injected. Pure functions.
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "worker/async/effect.hpp"
#include "worker/result.hpp"
#include "worker/vault/providers.hpp"

namespace ve::proxy {

/// The caller's headers minus those never forwarded: Authorization, Cookie,
/// Proxy-Authorization, Host, Content-Length, hop-by-hop headers (RFC 9110
/// §7.6.1: Connection and every name it lists, Keep-Alive, TE, Trailer,
/// Transfer-Encoding, Upgrade, Proxy-Connection), every X-Locker-*, CF-*,
/// X-Forwarded-*, X-Real-IP, Forwarded, and `injection_header` (the provider's
/// own key header, e.g. "x-api-key"; "" for none). Names are compared
/// case-insensitively and come out lower-case.
async::Headers forwarded_request_headers(const async::Headers& caller,
                                         std::string_view injection_header);

/// Checks one caller header: an RFC 9110 §5.1 token name (1-256 bytes) and a
/// value without CR, LF or NUL (at most 8192 bytes). Error: 400
/// `invalid_header` naming the header (never its value).
Result<void> check_header(std::string_view name, std::string_view value);

/// The header name `auth` injects into ("authorization" for bearer and basic,
/// auth.header for header, "" for query).
std::string_view injection_header(const vault::Auth& auth);

/// The credential exactly as `auth` sends it: "Bearer v"; prefix + v;
/// "Basic " + base64(username ":" v) or base64(v) without a fixed username;
/// for query the percent-encoded value. It is a secret (wipe it).
std::string injected_value(const vault::Auth& auth, std::string_view secret);

/// Adds the provider's static headers (replacing a caller header of the same
/// name) and the key as `auth` says: a header (replacing any of that name), or
/// for query `<param>=<value>` percent-encoded (RFC 3986) appended to
/// `request.url` with '?' or, when the URL already has a query, '&'.
void inject(async::FetchRequest& request, const vault::Auth& auth,
            std::span<const vault::StaticHeader> static_headers, std::string_view secret);

}  // namespace ve::proxy
