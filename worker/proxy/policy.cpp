#include "worker/proxy/policy.hpp"

#include <algorithm>

#include "worker/http/message.hpp"
#include "worker/oauth/uri.hpp"
#include "worker/proxy/ip.hpp"

namespace ve::proxy {

namespace {

constexpr std::size_t kMaxForwardPath = 8192;

Error refused(std::string why) {
  return Error{403, "destination_refused", "proxy destination refused: " + std::move(why)};
}

Error bad_path(std::string why) {
  return bad_request("invalid forward path: " + std::move(why), "invalid_forward_path");
}

bool is_dns_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool is_localhost_name(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view kLocal = "localhost";
  if (host == kLocal) return true;
  return host.size() > kLocal.size() + 1 && host.substr(host.size() - kLocal.size()) == kLocal &&
         host[host.size() - kLocal.size() - 1] == '.';
}

/// A dot segment ("." or ".."), after percent-decoding; also with path
/// parameters (RFC 3986 §3.3 ";..."), which Tomcat and Spring strip before
/// resolving, so "..;x" climbs there.
bool is_dot_segment(std::string_view decoded) {
  decoded = decoded.substr(0, decoded.find(';'));
  return decoded == "." || decoded == "..";
}

}  // namespace

Result<void> check_base_url(std::string_view base_url, bool development) {
  auto uri = oauth::parse_uri(base_url);
  if (!uri) return refused("the key's base_url is not a valid absolute URL");
  if (uri->authority.empty() || uri->host.empty()) {
    return refused("the key's base_url has no host");
  }
  if (uri->has_userinfo) return refused("the key's base_url must not carry user info");
  if (uri->has_query || uri->has_fragment) {
    return refused("the key's base_url must not have a query or fragment");
  }
  if (development && uri->scheme == "http" && http::is_loopback_authority(uri->host)) {
    return {};  // ENVIRONMENT=development: a local test upstream
  }
  if (uri->scheme != "https") {
    return refused(
        "the key's base_url must be https:// (plain http only to a loopback host in "
        "development)");
  }
  if (uri->host.front() == '[' || oauth::is_ip_literal(uri->host)) {
    auto ip = parse_ip_host(uri->host);
    if (!ip) return refused("the key's base_url host '" + uri->host + "' is a malformed address");
    if (!is_public(*ip)) {
      return refused("the key's base_url host '" + uri->host +
                     "' is a loopback, private, link-local or otherwise non-public address");
    }
    return {};
  }
  if (!std::all_of(uri->host.begin(), uri->host.end(), is_dns_char)) {
    return refused("the key's base_url host has characters a DNS name cannot have");
  }
  if (is_localhost_name(uri->host)) {
    return refused("the key's base_url host '" + uri->host + "' is a loopback name");
  }
  return {};
}

Result<void> check_forward_path(std::string_view full) {
  if (full.empty() || full.front() != '/') {
    return bad_path("it must start with '/', e.g. /v1/models");
  }
  if (full.size() > kMaxForwardPath) return bad_path("it is longer than 8192 bytes");
  if (full.substr(0, 2) == "//") {
    return bad_path("it must not start with '//' (that would name another host)");
  }
  for (unsigned char c : full) {
    if (c < 0x20 || c == 0x7f) return bad_path("it contains a control character");
    if (c >= 0x80) return bad_path("it contains a non-ASCII byte: percent-encode it");
    if (c == ' ') return bad_path("it contains a space: percent-encode it as %20");
    if (c == '\\') return bad_path("it contains a backslash");
    if (c == '#') return bad_path("it contains a fragment ('#'): fragments are never sent");
  }
  const std::string_view path = full.substr(0, full.find('?'));
  // Dot segments as written, then once decoded (a server may decode %2e and
  // %2f before resolving them: "..%2f", "%2e%2e").
  const std::string decoded = http::url_decode(path, false);
  for (std::string_view p : {path, std::string_view(decoded)}) {
    std::size_t start = 0;
    while (start <= p.size()) {
      auto end = p.find_first_of("/\\", start);
      if (end == std::string_view::npos) end = p.size();
      if (is_dot_segment(p.substr(start, end - start))) {
        return bad_path(
            "it must not contain '.' or '..' segments (also percent-encoded or followed by "
            "';')");
      }
      start = end + 1;
    }
  }
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) {
    return bad_path("it must not contain an encoded NUL or backslash");
  }
  return {};
}

Result<Destination> destination(std::string_view base_url, std::string_view forward_path,
                                bool development) {
  if (auto r = check_base_url(base_url, development); !r.ok()) return r.error();
  if (auto r = check_forward_path(forward_path); !r.ok()) return r.error();
  std::string_view base = base_url;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  Destination d;
  d.url = std::string(base) + std::string(forward_path);
  auto b = oauth::parse_uri(base);
  auto f = oauth::parse_uri(d.url);
  if (!b || !f || f->scheme != b->scheme || f->authority != b->authority || f->has_fragment ||
      f->path.compare(0, b->path.size(), b->path) != 0 ||
      (f->path.size() > b->path.size() && f->path[b->path.size()] != '/')) {
    return bad_path("the resulting URL would leave the key's base URL");
  }
  d.host = b->authority;
  std::transform(d.host.begin(), d.host.end(), d.host.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  d.path = f->path;
  return d;
}

}  // namespace ve::proxy
