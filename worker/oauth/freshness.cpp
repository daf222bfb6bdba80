#include "worker/oauth/freshness.hpp"

#include <time.h>  // strptime, timegm (POSIX; glibc and wasi-libc)

#include <algorithm>
#include <array>
#include <ctime>
#include <string>
#include <vector>

#include "worker/http/message.hpp"
#include "worker/util/number.hpp"

namespace ve::oauth {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Every value of header `name` (compared case-insensitively).
std::vector<std::string_view> values_of(const async::Headers& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : headers) {
    if (lower(k) == name) out.emplace_back(v);
  }
  return out;
}

/// A non-negative decimal number of seconds; nullopt when malformed.
std::optional<std::int64_t> seconds(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.size() > 12) return std::nullopt;
  auto n = util::parse_int64(s);
  if (!n || *n < 0) return std::nullopt;
  return n;
}

/// The Cache-Control directives (lower-cased) with their values ("" when none).
std::vector<std::pair<std::string, std::string>> directives(const async::Headers& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto value : values_of(headers, "cache-control")) {
    for (const auto& item : http::list_tokens(value)) {
      const auto eq = item.find('=');
      out.emplace_back(std::string(trim(std::string_view(item).substr(0, eq))),
                       eq == std::string::npos ? std::string() : item.substr(eq + 1));
    }
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view t) {
  // libc's strptime reads the date; timegm turns the UTC fields into seconds.
  static constexpr std::array<const char*, 3> kFormats = {
      "%a, %d %b %Y %H:%M:%S GMT",  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
      "%A, %d-%b-%y %H:%M:%S GMT",  // obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
      "%a %b %e %H:%M:%S %Y",       // obsolete asctime: "Sun Nov  6 08:49:37 1994"
  };
  const std::string text(trim(t));
  for (const char* format : kFormats) {
    std::tm fields{};
    const char* end = strptime(text.c_str(), format, &fields);
    if (end != nullptr && *end == '\0') return static_cast<std::int64_t>(timegm(&fields)) * 1000;
  }
  return std::nullopt;
}

std::int64_t document_lifetime_ms(const async::Headers& headers, std::int64_t now_ms) {
  std::optional<std::int64_t> max_age, s_maxage;
  for (const auto& [name, value] : directives(headers)) {
    if (name == "no-store" || name == "no-cache" || name == "private") return 0;
    if (name == "max-age" || name == "s-maxage") {
      auto n = seconds(value);
      if (!n) return 0;  // a malformed freshness directive: treat as stale (RFC 9111 §4.2.1)
      (name == "max-age" ? max_age : s_maxage) = *n;
    }
  }
  std::int64_t lifetime = 0;
  if (s_maxage || max_age) {
    lifetime =
        std::min<std::int64_t>(s_maxage ? *s_maxage : *max_age, kMaxDocumentLifetimeMs / 1000) *
        1000;
  } else if (auto expires = values_of(headers, "expires"); !expires.empty()) {
    const auto at = parse_http_date(expires.front());
    if (!at) return 0;
    const auto dates = values_of(headers, "date");
    const auto date = dates.empty() ? std::nullopt : parse_http_date(dates.front());
    lifetime = *at - date.value_or(now_ms);
  }
  if (auto ages = values_of(headers, "age"); !ages.empty()) {
    if (auto age = seconds(ages.front())) {
      lifetime -= std::min<std::int64_t>(*age, kMaxDocumentLifetimeMs / 1000) * 1000;
    }
  }
  return std::clamp<std::int64_t>(lifetime, 0, kMaxDocumentLifetimeMs);
}

}  // namespace ve::oauth
