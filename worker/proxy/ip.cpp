#include "worker/proxy/ip.hpp"

#include <vector>

#include "worker/http/message.hpp"
#include "worker/oauth/uri.hpp"

namespace ve::proxy {

namespace {

/// WHATWG URL "IPv4 number parser": decimal, 0-prefixed octal or 0x-prefixed
/// hex; "0x" alone is 0. nullopt on an empty part, a foreign digit or a value
/// beyond 2^32 (already a failure whatever its position).
std::optional<std::uint64_t> ipv4_number(std::string_view part) {
  if (part.empty()) return std::nullopt;
  unsigned radix = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    radix = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    radix = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : part) {
    const int d = http::hex_digit(c);
    if (d < 0 || static_cast<unsigned>(d) >= radix) return std::nullopt;
    value = value * radix + static_cast<unsigned>(d);
    if (value > 0xffffffffULL) return std::nullopt;
  }
  return value;
}

IpAddress from_v4(std::uint32_t v) {
  IpAddress ip;
  ip.v4 = true;
  ip.bytes[10] = 0xff;
  ip.bytes[11] = 0xff;
  ip.bytes[12] = static_cast<std::uint8_t>(v >> 24);
  ip.bytes[13] = static_cast<std::uint8_t>(v >> 16);
  ip.bytes[14] = static_cast<std::uint8_t>(v >> 8);
  ip.bytes[15] = static_cast<std::uint8_t>(v);
  return ip;
}

/// Strict dotted quad (four decimal parts 0-255, no leading zeros beyond "0"),
/// as the tail of an IPv6 address.
std::optional<std::uint32_t> strict_dotted_quad(std::string_view s) {
  std::uint32_t out = 0;
  int parts = 0;
  while (true) {
    const auto dot = s.find('.');
    const auto part = s.substr(0, dot);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) {
      return std::nullopt;
    }
    unsigned v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v > 255) return std::nullopt;
    out = (out << 8) | v;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  if (parts != 4) return std::nullopt;
  return out;
}

std::uint32_t v4_at(const IpAddress& ip, std::size_t offset) {
  return (static_cast<std::uint32_t>(ip.bytes[offset]) << 24) |
         (static_cast<std::uint32_t>(ip.bytes[offset + 1]) << 16) |
         (static_cast<std::uint32_t>(ip.bytes[offset + 2]) << 8) |
         static_cast<std::uint32_t>(ip.bytes[offset + 3]);
}

bool in_v4(std::uint32_t a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

bool public_v4(std::uint32_t a) {
  struct Range {
    std::uint32_t net;
    int bits;
  };
  static constexpr Range kRefused[] = {
      {v4(0, 0, 0, 0), 8},        // "this network", unspecified (RFC 791, 1122)
      {v4(10, 0, 0, 0), 8},       // private (RFC 1918)
      {v4(100, 64, 0, 0), 10},    // CGNAT shared address space (RFC 6598)
      {v4(127, 0, 0, 0), 8},      // loopback
      {v4(169, 254, 0, 0), 16},   // link-local (RFC 3927), cloud metadata endpoints
      {v4(172, 16, 0, 0), 12},    // private (RFC 1918)
      {v4(192, 0, 0, 0), 24},     // IETF protocol assignments (RFC 6890)
      {v4(192, 0, 2, 0), 24},     // documentation TEST-NET-1 (RFC 5737)
      {v4(192, 88, 99, 0), 24},   // 6to4 relay anycast (RFC 7526)
      {v4(192, 168, 0, 0), 16},   // private (RFC 1918)
      {v4(198, 18, 0, 0), 15},    // benchmarking (RFC 2544)
      {v4(198, 51, 100, 0), 24},  // documentation TEST-NET-2
      {v4(203, 0, 113, 0), 24},   // documentation TEST-NET-3
      {v4(224, 0, 0, 0), 4},      // multicast (RFC 5771)
      {v4(240, 0, 0, 0), 4},      // reserved (RFC 1112), incl. broadcast 255.255.255.255
  };
  for (const auto& r : kRefused) {
    if (in_v4(a, r.net, r.bits)) return false;
  }
  return true;
}

bool prefix_is(const IpAddress& ip, std::initializer_list<std::uint8_t> prefix) {
  std::size_t i = 0;
  for (auto b : prefix) {
    if (ip.bytes[i++] != b) return false;
  }
  return true;
}

}  // namespace

std::optional<IpAddress> parse_ipv4(std::string_view host) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.size() > 4) return std::nullopt;
  std::vector<std::uint64_t> numbers;
  for (auto part : parts) {
    auto n = ipv4_number(part);
    if (!n) return std::nullopt;
    numbers.push_back(*n);
  }
  for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  const std::size_t n = numbers.size();
  const std::uint64_t limit = std::uint64_t{1} << (8 * (5 - n));
  if (numbers.back() >= limit) return std::nullopt;
  std::uint64_t value = numbers.back();
  for (std::size_t i = 0; i + 1 < n; ++i) value += numbers[i] << (8 * (3 - i));
  return from_v4(static_cast<std::uint32_t>(value));
}

std::optional<IpAddress> parse_ipv6(std::string_view s) {
  if (s.empty() || s.size() > 45) return std::nullopt;
  std::array<std::uint16_t, 8> groups{};
  int count = 0;
  int compress = -1;  // index where "::" was
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compress = 0;
    i = 2;
    if (i == s.size()) return IpAddress{};
  } else if (s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    if (count == 8) return std::nullopt;
    // A dotted quad takes the last two groups.
    const auto next_colon = s.find(':', i);
    const auto piece =
        s.substr(i, next_colon == std::string_view::npos ? next_colon : next_colon - i);
    if (piece.find('.') != std::string_view::npos) {
      if (next_colon != std::string_view::npos || count > 6) return std::nullopt;
      auto quad = strict_dotted_quad(piece);
      if (!quad) return std::nullopt;
      groups[count++] = static_cast<std::uint16_t>(*quad >> 16);
      groups[count++] = static_cast<std::uint16_t>(*quad & 0xffff);
      break;
    }
    if (piece.empty() || piece.size() > 4) return std::nullopt;
    unsigned v = 0;
    for (char c : piece) {
      const int d = http::hex_digit(c);
      if (d < 0) return std::nullopt;
      v = (v << 4) | static_cast<unsigned>(d);
    }
    groups[count++] = static_cast<std::uint16_t>(v);
    i += piece.size();
    if (i == s.size()) break;
    // s[i] == ':'
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compress >= 0) return std::nullopt;
      compress = count;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return std::nullopt;  // trailing single ':'
    }
  }
  if (compress < 0 && count != 8) return std::nullopt;
  if (compress >= 0 && count > 7) return std::nullopt;
  std::array<std::uint16_t, 8> full{};
  if (compress < 0) {
    full = groups;
  } else {
    const int tail = count - compress;
    for (int k = 0; k < compress; ++k) full[k] = groups[k];
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[compress + k];
  }
  IpAddress ip;
  for (std::size_t k = 0; k < 8; ++k) {
    ip.bytes[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
    ip.bytes[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
  }
  return ip;
}

std::optional<IpAddress> parse_ip_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    return parse_ipv6(host.substr(1, host.size() - 2));
  }
  if (!oauth::is_ip_literal(host)) return std::nullopt;
  return parse_ipv4(host);
}

bool is_public(const IpAddress& ip) {
  // Forms that embed an IPv4 address: judge the embedded address.
  if (prefix_is(ip, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}) ||     // ::ffff:0:0/96 mapped
      prefix_is(ip, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) ||           // ::/96 compatible, ::, ::1
      prefix_is(ip, {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {  // NAT64 (RFC 6052)
    return public_v4(v4_at(ip, 12));
  }
  if (prefix_is(ip, {0x20, 0x02})) return public_v4(v4_at(ip, 2));  // 6to4 (RFC 3056)
  // Only global unicast 2000::/3 is reachable; everything else (ULA fc00::/7,
  // link-local fe80::/10, site-local fec0::/10, multicast ff00::/8, discard
  // 100::/64, NAT64 local-use 64:ff9b:1::/48, ...) is refused.
  if ((ip.bytes[0] & 0xe0) != 0x20) return false;
  if (ip.bytes[0] == 0x20 && ip.bytes[1] == 0x01 && ip.bytes[2] <= 0x01) {
    return false;  // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID)
  }
  if (prefix_is(ip, {0x20, 0x01, 0x0d, 0xb8})) return false;  // documentation (RFC 3849)
  if (ip.bytes[0] == 0x3f && ip.bytes[1] == 0xff && (ip.bytes[2] & 0xf0) == 0) {
    return false;  // documentation 3fff::/20 (RFC 9637)
  }
  return true;
}

}  // namespace ve::proxy
