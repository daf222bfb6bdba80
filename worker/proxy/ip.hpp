// IP-address hosts of proxy destinations: parsing a URL host the way a URL
// parser reads it, and deciding whether the address is one a server-side
// request must never reach (SSRF guard of docs/proxy.md step 3).
//
// Why our own parser: the host must be read exactly as the fetch() on the other
// side (a WHATWG URL parser) reads it, including the legacy IPv4 forms `127.1`,
// `0x7f.0.0.1`, `017700000001` and `2130706433` (WHATWG URL §3.5 "IPv4
// parser"). libc's inet_pton accepts only dotted quads, inet_aton also takes
// signs and whitespace through strtoul and rejects a trailing dot, and no
// Debian package ships a WHATWG host parser that builds for wasm32-wasi
// without exceptions. So this is a small parser written against the spec text,
// with unit tests for every form (tests/unit/proxy_policy.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ve::proxy {

/// An IP address: IPv4 addresses are stored as IPv4-mapped IPv6
/// (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) so one range table covers both.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;  ///< parsed from an IPv4 form
};

/// WHATWG URL §3.5 IPv4 parser on a host (lower-case, no brackets): 1 to 4
/// dot-separated parts (one trailing dot allowed), each decimal, octal
/// (leading `0`) or hex (`0x`); the last part fills the remaining bytes.
/// nullopt when the host does not end in a number or a part is malformed or
/// out of range (a URL parser fails on those too).
std::optional<IpAddress> parse_ipv4(std::string_view host);

/// RFC 4291 §2.2 text form (no brackets, no zone id): eight groups of 1-4 hex
/// digits, one `::` for a run of zero groups, an optional trailing dotted-quad
/// (strict decimal, as WHATWG URL's IPv6 parser requires). nullopt otherwise.
std::optional<IpAddress> parse_ipv6(std::string_view text);

/// A URL host read as an address: `[v6]` → parse_ipv6 of the inside; a host
/// ending in a number (oauth::is_ip_literal) → parse_ipv4; nullopt when the
/// host is not an IP literal or is a malformed one (callers refuse those).
std::optional<IpAddress> parse_ip_host(std::string_view host);

/// True for an address a proxy call may reach: false for unspecified,
/// loopback, private (RFC 1918, RFC 4193 fc00::/7), link-local (169.254/16,
/// fe80::/10), CGNAT (100.64/10), multicast, broadcast and the other IANA
/// special-purpose ranges (RFC 6890: 0/8, 192.0.0/24, documentation, benchmark
/// 198.18/15, 240/4, site-local fec0::/10, discard 100::/64, Teredo
/// 2001::/32, 2001:db8::/32), and for IPv6 forms that embed an IPv4 address
/// (v4-mapped, v4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) whose IPv4
/// address is itself not public.
bool is_public(const IpAddress& ip);

}  // namespace ve::proxy
