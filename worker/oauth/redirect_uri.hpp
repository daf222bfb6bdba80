// Redirect-URI policy of the authorization server (docs/oauth.md "Redirect URIs").
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ve::oauth {

/// Why `uri` may not be registered as a redirect URI, or nullopt when it may.
/// Allowed: https with a host; http whose host is loopback (RFC 8252 §7.3);
/// a native app's private-use scheme (RFC 8252 §7.1, e.g. `cursor://…`), but
/// never `http` to another host, `javascript`, `data`, `file`, `vbscript`,
/// `blob`, `about`, `ws`, `wss`, `ftp`. Never a fragment (RFC 6749 §3.1.2) or
/// userinfo. The reason is a sentence for `error_description`.
std::optional<std::string> redirect_uri_problem(std::string_view uri);

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
