#include "worker/oauth/redirect_uri.hpp"

#include <algorithm>
#include <array>

#include "worker/http/message.hpp"
#include "worker/oauth/uri.hpp"

namespace ve::oauth {

namespace {
// Editors whose MCP OAuth callback uses a private-use scheme without a dot
// (RFC 8252 §7.1 asks for reverse-domain names, which these predate). Listed
// one by one: any other dotless scheme is refused.
constexpr std::array<std::string_view, 3> kAppSchemes = {"cursor", "vscode", "vscode-insiders"};

bool loopback_http(const Uri& u) {
  return u.scheme == "http" && http::is_loopback_authority(u.host);
}
}  // namespace

std::optional<std::string> redirect_uri_problem(std::string_view uri) {
  auto u = parse_uri(uri);
  if (!u) {
    return "redirect URI '" + std::string(uri.substr(0, 200)) +
           "' is not an absolute URI (at most 2048 bytes, no spaces)";
  }
  if (u->has_fragment) return "a redirect URI must not contain a fragment (RFC 6749 §3.1.2)";
  if (u->has_userinfo) return "a redirect URI must not contain user:password@";
  if (u->scheme == "https") {
    if (u->host.empty()) return "an https redirect URI needs a host";
    return std::nullopt;
  }
  if (u->scheme == "http") {
    if (loopback_http(*u)) return std::nullopt;
    return "an http redirect URI must point at loopback (127.0.0.1, [::1] or localhost, RFC "
           "8252 §7.3); use https for anything else";
  }
  if (is_reverse_domain_scheme(u->scheme) ||
      std::find(kAppSchemes.begin(), kAppSchemes.end(), u->scheme) != kAppSchemes.end()) {
    return std::nullopt;  // a native app's private-use scheme (RFC 8252 §7.1)
  }
  return "the scheme '" + u->scheme.substr(0, 64) +
         ":' cannot be a redirect URI: use https, http on loopback, or a private-use scheme in "
         "reverse-domain form such as com.example.app: (RFC 8252 §7.1)";
}

bool is_reverse_domain_scheme(std::string_view scheme) {
  // At least two labels, none empty ("com.example"), so ".x", "x." and "a..b" fail.
  if (scheme.find('.') == std::string_view::npos) return false;
  return scheme.front() != '.' && scheme.back() != '.' &&
         scheme.find("..") == std::string_view::npos;
}

bool redirect_uri_matches(std::string_view registered, std::string_view presented) {
  if (registered == presented) return true;
  auto r = parse_uri(registered);
  auto p = parse_uri(presented);
  if (!r || !p || !loopback_http(*r) || !loopback_http(*p)) return false;
  // Same URI apart from the port: compare with the authority replaced by the host.
  auto without_port = [](std::string_view s, const Uri& u) {
    const auto start = s.find("//") + 2;
    return std::string(s.substr(0, start)) + u.host +
           std::string(s.substr(start + u.authority.size()));
  };
  return r->host == p->host && without_port(registered, *r) == without_port(presented, *p);
}

bool redirect_uri_allowed(const std::vector<std::string>& registered, std::string_view presented) {
  return std::any_of(registered.begin(), registered.end(),
                     [&](const std::string& r) { return redirect_uri_matches(r, presented); });
}

std::string redirect_display(std::string_view uri) {
  auto u = parse_uri(uri);
  if (!u) return std::string(uri.substr(0, 100));
  if (u->authority.empty()) return u->scheme + ":";
  return u->host + (u->port.empty() ? "" : ":" + u->port);
}

std::string redirect_csp_source(std::string_view uri) {
  auto u = parse_uri(uri);
  if (!u) return {};
  if (u->authority.empty()) return u->scheme + ":";
  return u->scheme + "://" + u->host + (u->port.empty() ? "" : ":" + u->port);
}

}  // namespace ve::oauth
