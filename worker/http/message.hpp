// HTTP request and response as the core sees them (decoded from wasm/ABI.md).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/async/effect.hpp"

namespace ve::http {

using async::Headers;

/// Case-insensitive header lookup on lower-case names; nullopt when absent.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view lower_name);

struct Request {
  std::string method;  ///< upper-case, e.g. "GET"
  std::string url;     ///< absolute URL as received
  std::string origin;  ///< scheme://host[:port] of `url`
  std::string path;    ///< raw (still percent-encoded) path, no query; the router decodes segments
  std::map<std::string, std::string> query;  ///< decoded query parameters (last wins)
  Headers headers;                           ///< lower-case names
  std::string body;                          ///< raw bytes
  std::string client_ip;                     ///< from the edge (CF-Connecting-IP)
  std::string country;                       ///< ISO 3166 alpha-2 from the edge, may be empty
  /// Set only for a Cron Trigger's run (the `scheduled` export, wasm/ABI.md):
  /// its cron expression, e.g. "17 * * * *". Empty for every HTTP request; no
  /// part of an HTTP request can set it.
  std::string cron;

  std::optional<std::string_view> header(std::string_view lower_name) const {
    return find_header(headers, lower_name);
  }
};

/// Splits `url` into origin, decoded path and query. False when it is not an
/// absolute http(s) URL.
bool parse_url(std::string_view url, Request& out);

/// application/x-www-form-urlencoded (also a query string) → its name/value
/// pairs in order, repeats kept: '&'-separated, empty pieces skipped, '+' is a
/// space, percent-escapes decoded, a name without '=' has the value "".
std::vector<std::pair<std::string, std::string>> form_pairs(std::string_view encoded);
/// application/x-www-form-urlencoded → map (last value wins).
std::map<std::string, std::string> parse_form(std::string_view body);
/// The elements of a comma-separated header value (RFC 9110 §5.6.1), trimmed
/// of spaces and tabs and lower-cased; empty elements are skipped.
/// "Keep-Alive, ,Upgrade" → {"keep-alive", "upgrade"}.
std::vector<std::string> list_tokens(std::string_view value);
/// Value of a hexadecimal digit (0-9, a-f, A-F), or -1.
int hex_digit(char c);
/// Percent-decoding ('+' → space when `plus_as_space`).
std::string url_decode(std::string_view s, bool plus_as_space);
/// Percent-encoding of everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view s);
/// True when a URL authority (`host[:port]` or `[v6][:port]`) names loopback as
/// written: `localhost`, `127.0.0.1` or `[::1]`.
bool is_loopback_authority(std::string_view authority);

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
};

/// What a handler returns to the Driver: the response plus the request's log
/// line (one JSON object: route, status, latency, principal kind; no secrets).
struct Reply {
  Response response;
  std::string log_line;
};

}  // namespace ve::http
