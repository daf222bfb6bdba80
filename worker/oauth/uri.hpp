// Splitting absolute URIs into the parts OAuth policy looks at (RFC 3986 §3).
// Only what redirect-URI matching and the client-metadata SSRF guard need; the
// values are compared as written, never normalised, because OAuth matches
// redirect URIs by simple string comparison (RFC 6749 §3.1.2, OAuth 2.1 §2.3.1).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ve::oauth {

struct Uri {
  std::string scheme;     ///< lower-cased, e.g. "https", "cursor"
  std::string authority;  ///< as written, without "//"; empty when there is none
  std::string host;       ///< authority without userinfo and port; IPv6 keeps its brackets
  std::string port;       ///< digits or ""
  std::string path;       ///< as written
  bool has_userinfo = false;
  bool has_query = false;
  bool has_fragment = false;
};

/// Parses an absolute URI: a scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ))
/// followed by ':'. nullopt when there is no valid scheme, when the URI holds
/// a space, a control character, a backslash or a non-ASCII byte, when it is
/// longer than 2048 bytes, or when the port is not all digits.
std::optional<Uri> parse_uri(std::string_view uri);

/// True when `host` is an IP literal in any form a URL parser would read as an
/// address: bracketed IPv6, or a name whose last label is numeric (WHATWG URL
/// "ends in a number" → IPv4, which covers 127.1, 0x7f.0.0.1 and 2130706433).
bool is_ip_literal(std::string_view host);

}  // namespace ve::oauth
