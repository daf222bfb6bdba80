#include "worker/proxy/folded.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "worker/crypto/wipe.hpp"
#include "worker/http/message.hpp"

namespace ve::proxy {

namespace {

constexpr std::uint32_t kMaxCodePoint = 0x10FFFF;
constexpr std::size_t kMaxDecimalDigits = 7;
constexpr std::size_t kMaxHexDigits = 6;

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

/// The value of exactly `n` hex digits at `s[at]`, or nullopt.
std::optional<std::uint32_t> hex_at(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return std::nullopt;
  std::uint32_t v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    const int d = http::hex_digit(s[i]);
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  return v;
}

/// What one escape decodes to: up to 4 UTF-8 bytes, and its length in the original.
struct Decoded {
  std::array<char, 4> out{};
  std::size_t produced = 0;
  std::size_t consumed = 0;
};

Decoded byte(char c, std::size_t consumed) {
  Decoded d;
  d.out[0] = c;
  d.produced = 1;
  d.consumed = consumed;
  return d;
}

/// UTF-8 of a code point (RFC 3629); nullopt for a surrogate or beyond U+10FFFF.
std::optional<Decoded> code_point(std::uint32_t cp, std::size_t consumed) {
  if (cp > kMaxCodePoint || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  Decoded d;
  d.consumed = consumed;
  auto put = [&](std::uint32_t v) { d.out[d.produced++] = static_cast<char>(v); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
  return d;
}

/// `\uXXXX`, with a following `\uXXXX` low surrogate when the first is a high one.
std::optional<Decoded> json_unicode(std::string_view s, std::size_t at) {
  const auto unit = hex_at(s, at + 2, 4);
  if (!unit) return std::nullopt;
  if (*unit >= 0xD800 && *unit <= 0xDBFF && s.substr(at + 6, 2) == "\\u") {
    const auto low = hex_at(s, at + 8, 4);
    if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
      return code_point(0x10000 + ((*unit - 0xD800) << 10) + (*low - 0xDC00), 12);
    }
  }
  return code_point(*unit, 6);
}

std::optional<Decoded> backslash(std::string_view s, std::size_t at) {
  if (at + 1 >= s.size()) return std::nullopt;
  switch (s[at + 1]) {
    case '"':
    case '\\':
    case '/':
    case '\'':
      return byte(s[at + 1], 2);
    case 'b':
      return byte('\b', 2);
    case 'f':
      return byte('\f', 2);
    case 'n':
      return byte('\n', 2);
    case 'r':
      return byte('\r', 2);
    case 't':
      return byte('\t', 2);
    case 'u':
      return json_unicode(s, at);
    case 'x':
      if (auto v = hex_at(s, at + 2, 2)) return byte(static_cast<char>(*v), 4);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

/// `&#DDD;`, `&#xHHH;` (`;` optional) or one of the five XML entities.
std::optional<Decoded> reference(std::string_view s, std::size_t at) {
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (const auto& [name, c] : kNamed) {
    if (s.substr(at, name.size()) == name) return byte(c, name.size());
  }
  if (s.substr(at, 2) != "&#") return std::nullopt;
  std::size_t i = at + 2;
  const bool hex = i < s.size() && lower(s[i]) == 'x';
  if (hex) ++i;
  const std::size_t digits_start = i;
  std::uint32_t cp = 0;
  while (i < s.size() && i - digits_start < (hex ? kMaxHexDigits : kMaxDecimalDigits)) {
    const int d = hex ? http::hex_digit(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
    if (d < 0) break;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    ++i;
  }
  if (i == digits_start) return std::nullopt;
  if (i < s.size() && s[i] == ';') ++i;
  return code_point(cp, i - at);
}

std::optional<Decoded> escape_at(std::string_view s, std::size_t at) {
  switch (s[at]) {
    case '%':
      if (auto v = hex_at(s, at + 1, 2)) return byte(static_cast<char>(*v), 3);
      return std::nullopt;
    case '\\':
      return backslash(s, at);
    case '&':
      return reference(s, at);
    default:
      return std::nullopt;
  }
}

}  // namespace

Folded::Folded(std::string_view text, Escapes escapes) {
  if (escapes == Escapes::keep) {
    bytes_ = fold_case(text);
    return;
  }
  bytes_.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    // Most of a body holds no escape: copy the run up to the next candidate at once.
    const std::size_t next = std::min(text.find_first_of("%\\&", at), text.size());
    for (std::size_t i = at; i < next; ++i) bytes_.push_back(lower(text[i]));
    at = next;
    if (at == text.size()) break;
    const auto d = escape_at(text, at);
    if (!d) {
      bytes_.push_back(text[at++]);
      continue;
    }
    escapes_.push_back({static_cast<std::uint32_t>(bytes_.size()),
                        static_cast<std::uint32_t>(d->produced), static_cast<std::uint32_t>(at),
                        static_cast<std::uint32_t>(d->consumed)});
    for (std::size_t i = 0; i < d->produced; ++i) bytes_.push_back(lower(d->out[i]));
    at += d->consumed;
  }
}

Folded::~Folded() {
  crypto::secure_wipe(bytes_);
}

std::pair<std::size_t, std::size_t> Folded::source(std::size_t first, std::size_t last) const {
  // The original offset of folded byte i: inside an escape, the escape's start
  // (begin) or end (end); otherwise counted on from the last escape before it.
  auto locate = [&](std::size_t i, bool end) -> std::size_t {
    auto it = std::upper_bound(escapes_.begin(), escapes_.end(), i,
                               [](std::size_t v, const Escape& e) { return v < e.at; });
    if (it == escapes_.begin()) return end ? i + 1 : i;
    const Escape& e = *std::prev(it);
    if (i < std::size_t{e.at} + e.produced) return end ? e.from + e.consumed : e.from;
    const std::size_t raw = e.from + e.consumed + (i - (e.at + e.produced));
    return end ? raw + 1 : raw;
  };
  return {locate(first, false), locate(last - 1, true)};
}

std::string fold_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

}  // namespace ve::proxy
