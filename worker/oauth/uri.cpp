#include "worker/oauth/uri.hpp"

#include <algorithm>

namespace ve::oauth {

namespace {
constexpr std::size_t kMaxUri = 2048;

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

std::optional<Uri> parse_uri(std::string_view s) {
  if (s.empty() || s.size() > kMaxUri) return std::nullopt;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || c == '\\') return std::nullopt;
  }
  const auto colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || !is_alpha(s.front())) return std::nullopt;
  Uri u;
  for (char c : s.substr(0, colon)) {
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return std::nullopt;
    u.scheme.push_back(lower(c));
  }
  std::string_view rest = s.substr(colon + 1);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) {
    u.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    u.has_query = true;
    rest = rest.substr(0, q);
  }
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    u.authority = std::string(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    std::string_view hostport = u.authority;
    if (auto at = hostport.rfind('@'); at != std::string_view::npos) {
      u.has_userinfo = true;
      hostport.remove_prefix(at + 1);
    }
    std::string_view port;
    if (!hostport.empty() && hostport.front() == '[') {
      const auto close = hostport.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      u.host = std::string(hostport.substr(0, close + 1));
      auto after = hostport.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return std::nullopt;
        port = after.substr(1);
      }
    } else {
      const auto c = hostport.find(':');
      u.host = std::string(hostport.substr(0, c));
      if (c != std::string_view::npos) port = hostport.substr(c + 1);
    }
    if (!std::all_of(port.begin(), port.end(), is_digit) || port.size() > 5) return std::nullopt;
    u.port = std::string(port);
    std::transform(u.host.begin(), u.host.end(), u.host.begin(), lower);
  }
  u.path = std::string(rest);
  return u;
}

bool is_ip_literal(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  const auto dot = host.rfind('.');
  const auto last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  // WHATWG URL §4.4 "ends in a number": all decimal digits, or 0x / 0X followed by hex digits.
  if (std::all_of(last.begin(), last.end(), is_digit)) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    return std::all_of(last.begin() + 2, last.end(),
                       [](char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f'); });
  }
  return false;
}

}  // namespace ve::oauth
