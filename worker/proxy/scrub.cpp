#include "worker/proxy/scrub.hpp"

#include <algorithm>
#include <utility>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/http/message.hpp"
#include "worker/proxy/folded.hpp"
#include "worker/proxy/request.hpp"

namespace ve::proxy {

namespace {

constexpr std::size_t kMinShiftedBytes = 6;
constexpr int kMaxPasses = 4;

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto hit = s.find(from, at);
    if (hit == std::string_view::npos) break;
    out.append(s.substr(at, hit - at)).append(to);
    at = hit + from.size();
  }
  out.append(s.substr(at));
  return out;
}

/// The base64 characters of `secret` encoded after `shift` (0-2) other bytes
/// that depend on the secret's bits only: characters whose 6 bits lie wholly
/// inside the secret's bytes.
std::string shifted_core(std::string_view secret, std::size_t shift, bool url) {
  std::string buf(shift, '\0');
  buf.append(secret);
  std::string enc = url ? crypto::base64url_encode(buf) : crypto::base64_encode(buf);
  crypto::secure_wipe(buf);
  while (!enc.empty() && enc.back() == '=') enc.pop_back();
  const std::size_t first = (8 * shift + 5) / 6;               // first char starting in the secret
  const std::size_t last = (8 * (shift + secret.size())) / 6;  // chars ending inside it
  std::string core = last > first ? enc.substr(first, last - first) : std::string();
  crypto::secure_wipe(enc);
  return core;
}

/// Adds `form` as search keys, folded the way the text's two views are
/// (folded.hpp): with its escapes decoded, and with only its case folded.
void add(std::vector<std::string>& keys, std::string form) {
  for (auto escapes : {Folded::Escapes::decode, Folded::Escapes::keep}) {
    std::string key(Folded(form, escapes).bytes());
    if (key.empty() || std::find(keys.begin(), keys.end(), key) != keys.end()) {
      crypto::secure_wipe(key);
      continue;
    }
    keys.push_back(std::move(key));
  }
  crypto::secure_wipe(form);
}

void add_base64(std::vector<std::string>& keys, std::string_view bytes) {
  std::string padded = crypto::base64_encode(bytes);
  std::string url = crypto::base64url_encode(bytes);
  std::string url_padded = url;
  while (url_padded.size() % 4 != 0) url_padded.push_back('=');
  std::string unpadded = padded;
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  add(keys, std::move(padded));
  add(keys, std::move(unpadded));
  add(keys, std::move(url));
  add(keys, std::move(url_padded));
}

/// The secret as UTF-16 code units, little- and big-endian bytes (RFC 2781);
/// nothing when it is not valid UTF-8.
void add_utf16(std::vector<std::string>& keys, std::string_view secret) {
  std::string le;
  std::string be;
  auto unit = [&](std::uint32_t u) {
    le.push_back(static_cast<char>(u & 0xFF));
    le.push_back(static_cast<char>(u >> 8));
    be.push_back(static_cast<char>(u >> 8));
    be.push_back(static_cast<char>(u & 0xFF));
  };
  for (std::size_t i = 0; i < secret.size();) {
    const auto c = static_cast<unsigned char>(secret[i]);
    const std::size_t n = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (n == 0 || i + n > secret.size()) {
      crypto::secure_wipe(le);
      crypto::secure_wipe(be);
      return;
    }
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(secret[i + k]) & 0x3F);
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
    i += n;
  }
  add(keys, std::move(le));
  add(keys, std::move(be));
}

using Range = std::pair<std::size_t, std::size_t>;

/// Sorted, merged [begin, end) ranges of `text` where a key occurs in one of
/// its two folded views. Both are needed: escapes decoded finds an escaped
/// value, case folded only finds the raw value wherever it stands, also right
/// after a '%', '\' or '&' that the decoding would join with its first bytes
/// ("%" + "41ab…" reads as "A" + "b…" decoded).
std::vector<Range> occurrences(std::string_view text, const std::vector<std::string>& keys,
                               bool skip_marker_keys) {
  static const std::string kFoldedMarker = fold_case(kRedacted);
  std::vector<Range> hits;
  const bool has_escapes = text.find_first_of("%\\&") != std::string_view::npos;
  for (auto escapes : {Folded::Escapes::keep, Folded::Escapes::decode}) {
    if (escapes == Folded::Escapes::decode && !has_escapes) break;  // the same view again
    const Folded folded(text, escapes);
    const std::string_view view = folded.bytes();
    for (const auto& k : keys) {
      if (k.empty() || (skip_marker_keys && kFoldedMarker.find(k) != std::string::npos)) continue;
      for (auto at = view.find(k); at != std::string_view::npos; at = view.find(k, at + 1)) {
        hits.push_back(folded.source(at, at + k.size()));
      }
    }
  }
  std::sort(hits.begin(), hits.end());
  std::vector<Range> merged;
  for (const auto& h : hits) {
    if (!merged.empty() && h.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, h.second);
    } else {
      merged.push_back(h);
    }
  }
  return merged;
}

std::size_t scrub_once(std::string& text, const std::vector<std::string>& keys,
                       bool skip_marker_keys) {
  const auto ranges = occurrences(text, keys, skip_marker_keys);
  if (ranges.empty()) return 0;
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& [begin, end] : ranges) {
    out.append(text, at, begin - at);
    out.append(kRedacted);
    at = end;
  }
  out.append(text, at, std::string::npos);
  crypto::secure_wipe(text);
  text = std::move(out);
  return ranges.size();
}

}  // namespace

std::vector<std::string> secret_forms(std::string_view secret, const vault::Auth& auth) {
  std::vector<std::string> keys;
  if (secret.empty()) return keys;
  // The raw value also stands for its percent-, JSON-, \x- and HTML-escaped
  // forms and its case variants: the text is searched folded.
  add(keys, std::string(secret));
  add_base64(keys, secret);
  if (secret.size() >= kMinShiftedBytes) {
    for (std::size_t shift = 0; shift < 3; ++shift) {
      add(keys, shifted_core(secret, shift, false));
      add(keys, shifted_core(secret, shift, true));
    }
  }
  std::string pct = http::url_encode(secret);
  add(keys, replace_all(pct, "%20", "+"));  // forms write a space as '+', which folding keeps
  crypto::secure_wipe(pct);
  add(keys, crypto::hex_encode(secret));  // either case: folded
  add_utf16(keys, secret);
  if (auth.kind == vault::AuthKind::basic) {
    std::string credentials;
    if (!auth.username.empty()) credentials.append(auth.username).push_back(':');
    credentials.append(secret);
    add_base64(keys, credentials);
    crypto::secure_wipe(credentials);
  }
  add(keys, injected_value(auth, secret));
  std::stable_sort(keys.begin(), keys.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return keys;
}

std::size_t scrub(std::string& text, const std::vector<std::string>& forms) {
  const std::size_t bound = text.size() + text.size() / kMaxGrowthDivisor + kRedacted.size();
  std::size_t count = scrub_once(text, forms, false);
  if (count == 0) return 0;
  // A replacement can form a new occurrence across a marker's edge; a key the
  // marker itself holds is not looked for again (it would never end).
  for (int pass = 1; pass < kMaxPasses && text.size() <= bound; ++pass) {
    const std::size_t more = scrub_once(text, forms, true);
    if (more == 0) return count;
    count += more;
  }
  crypto::secure_wipe(text);
  text = std::string(kRedacted);
  return count + 1;
}

std::size_t scrub_headers(async::Headers& headers, const std::vector<std::string>& forms) {
  std::size_t count = 0;
  async::Headers kept;
  kept.reserve(headers.size());
  for (auto& [name, value] : headers) {
    if (!occurrences(name, forms, false).empty()) {  // "[REDACTED]" is no header name: drop it
      ++count;
      crypto::secure_wipe(name);
      crypto::secure_wipe(value);
      continue;
    }
    count += scrub(value, forms);
    kept.emplace_back(std::move(name), std::move(value));
  }
  headers = std::move(kept);
  return count;
}

void wipe_forms(std::vector<std::string>& forms) {
  for (auto& f : forms) crypto::secure_wipe(f);
  forms.clear();
}

}  // namespace ve::proxy
