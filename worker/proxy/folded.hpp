// The folded view of a text that the proxy's scrubber searches (docs/proxy.md
// "Scrubbing"): one level of the character escapes an upstream may wrap an
// echoed value in is decoded, and ASCII letters are lower-cased, so one
// search finds the value however it was escaped, and in any mix of escapes.
// Pure functions; no allocation proportional to the text beyond the view.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ve::proxy {

/// A text folded for searching, with the way back to the original's offsets.
///
/// Decoded, each to the UTF-8 bytes it stands for:
/// - percent-encoding `%HH` (RFC 3986 §2.1);
/// - JSON string escapes (RFC 8259 §7): `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
///   `\r`, `\t`, and `\uXXXX` including UTF-16 surrogate pairs;
/// - `\xHH` (JavaScript, Python, C);
/// - HTML character references (HTML Living Standard §13.5): `&#DDD;`,
///   `&#xHHH;` (the `;` optional) and `&amp;`, `&lt;`, `&gt;`, `&quot;`,
///   `&apos;`.
/// Anything else is one byte for itself. Escapes are decoded once, not
/// recursively (`%2541` is `%41`). ASCII `A`-`Z` become `a`-`z` after decoding.
class Folded {
 public:
  /// Whether escapes are decoded (`keep`: letter case is folded, nothing else).
  enum class Escapes { decode, keep };

  /// Folds `text` (any bytes; the view does not keep a reference to it).
  explicit Folded(std::string_view text, Escapes escapes = Escapes::decode);
  Folded(const Folded&) = delete;
  Folded& operator=(const Folded&) = delete;
  Folded(Folded&&) = default;
  Folded& operator=(Folded&&) = default;
  /// Wipes the folded bytes (they may hold a secret).
  ~Folded();

  /// The folded bytes.
  [[nodiscard]] std::string_view bytes() const { return bytes_; }

  /// The original range [begin, end) that folded bytes [first, last) come
  /// from; a range that starts or ends inside one escape widens to all of it.
  /// Requires first < last <= bytes().size().
  [[nodiscard]] std::pair<std::size_t, std::size_t> source(std::size_t first,
                                                           std::size_t last) const;

 private:
  /// One decoded escape: folded bytes [at, at + produced) come from original
  /// bytes [from, from + consumed).
  struct Escape {
    std::uint32_t at;
    std::uint32_t produced;
    std::uint32_t from;
    std::uint32_t consumed;
  };
  std::string bytes_;
  std::vector<Escape> escapes_;  ///< in order of `at`
};

/// `text` with ASCII letters lower-cased (the case folding Folded applies).
std::string fold_case(std::string_view text);

}  // namespace ve::proxy
