#include "worker/oauth/freshness.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <vector>

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
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

/// The Cache-Control directives (lower-cased names) with their values ("" when none).
std::vector<std::pair<std::string, std::string>> directives(const async::Headers& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto value : values_of(headers, "cache-control")) {
    while (!value.empty()) {
      const auto comma = value.find(',');
      const auto item = trim(value.substr(0, comma));
      value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      out.emplace_back(lower(trim(item.substr(0, eq))), eq == std::string_view::npos
                                                            ? std::string()
                                                            : std::string(item.substr(eq + 1)));
    }
  }
  return out;
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view t) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, 29 bytes.
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  t = trim(t);
  if (t.size() != 29 || t.substr(3, 2) != ", " || t[7] != ' ' || t[11] != ' ' || t[16] != ' ' ||
      t[19] != ':' || t[22] != ':' || t.substr(25) != " GMT") {
    return std::nullopt;
  }
  if (std::find(kDays.begin(), kDays.end(), t.substr(0, 3)) == kDays.end()) return std::nullopt;
  const auto month = std::find(kMonths.begin(), kMonths.end(), t.substr(8, 3));
  if (month == kMonths.end()) return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) -> std::optional<std::int64_t> {
    std::int64_t n = 0;
    auto s = t.substr(at, len);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return n;
  };
  const auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2),
             second = number(23, 2);
  if (!day || !year || !hour || !minute || !second) return std::nullopt;
  if (*day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const auto m = static_cast<unsigned>(month - kMonths.begin() + 1);
  const std::int64_t days = days_from_civil(*year, m, static_cast<unsigned>(*day));
  return ((days * 24 + *hour) * 60 + *minute) * 60'000 + *second * 1000;
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
