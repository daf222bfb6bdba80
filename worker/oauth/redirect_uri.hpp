// Redirect-URI policy of the authorization server (docs/oauth.md "Redirect URIs").
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ve::oauth {

/// Why `uri` may not be registered as a redirect URI, or nullopt when it may.
/// An allowlist of schemes:
/// - `https` with a host;
/// - `http` whose host is loopback as written: 127.0.0.1, [::1], localhost
///   (RFC 8252 §7.3);
/// - a native app's private-use scheme in reverse-domain form, i.e. holding a
///   '.' between non-empty labels (RFC 8252 §7.1, e.g. `com.example.app:/cb`);
/// - the dotless schemes of known MCP clients: `cursor`, `vscode`,
///   `vscode-insiders` (docs/oauth.md "Redirect URIs").
/// Everything else is refused (`javascript:`, `data:`, `view-source:`, `jar:`,
/// `intent:`, `ws:`, http to another host, …). Never a fragment (RFC 6749
/// §3.1.2) or userinfo. The reason is a sentence for `error_description`.
std::optional<std::string> redirect_uri_problem(std::string_view uri);

/// True when `scheme` (lower-cased, as parse_uri gives it) has the
/// reverse-domain form RFC 8252 §7.1 requires of private-use schemes: two or
/// more non-empty labels separated by '.'. "com.example.app" → true;
/// "cursor", ".app", "app.", "a..b" → false.
bool is_reverse_domain_scheme(std::string_view scheme);

/// True when `presented` matches `registered` (RFC 6749 §3.1.2.3 simple string
/// comparison), except that for a loopback http URI the port may differ (RFC
/// 8252 §7.3: native apps pick a free port at run time).
bool redirect_uri_matches(std::string_view registered, std::string_view presented);

/// True when `presented` matches one of `registered`.
bool redirect_uri_allowed(const std::vector<std::string>& registered, std::string_view presented);

/// What the consent page shows as the destination: the host (with port) for
/// URIs with an authority, else the scheme (`cursor:`).
std::string redirect_display(std::string_view uri);

/// The CSP `form-action` source that lets the consent form's 303 reach `uri`:
/// its scheme://authority, or `scheme:` for a URI without one.
std::string redirect_csp_source(std::string_view uri);

}  // namespace ve::oauth
