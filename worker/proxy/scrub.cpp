#include "worker/proxy/scrub.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/http/message.hpp"
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

std::string lower_hex_escapes(std::string s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] != '%') continue;
    for (std::size_t k = i + 1; k <= i + 2; ++k) {
      if (s[k] >= 'A' && s[k] <= 'F') s[k] = static_cast<char>(s[k] + 32);
    }
  }
  return s;
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

void add(std::vector<std::string>& forms, std::string s) {
  if (s.empty() || std::find(forms.begin(), forms.end(), s) != forms.end()) {
    crypto::secure_wipe(s);
    return;
  }
  forms.push_back(std::move(s));
}

void add_base64(std::vector<std::string>& forms, std::string_view bytes) {
  std::string padded = crypto::base64_encode(bytes);
  std::string url = crypto::base64url_encode(bytes);
  std::string url_padded = url;
  while (url_padded.size() % 4 != 0) url_padded.push_back('=');
  std::string unpadded = padded;
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  add(forms, std::move(padded));
  add(forms, std::move(unpadded));
  add(forms, std::move(url));
  add(forms, std::move(url_padded));
}

/// Sorted, merged [begin, end) ranges of every occurrence of every form.
std::vector<std::pair<std::size_t, std::size_t>> occurrences(
    std::string_view text, const std::vector<std::string>& forms) {
  std::vector<std::pair<std::size_t, std::size_t>> hits;
  for (const auto& f : forms) {
    if (f.empty()) continue;
    for (auto at = text.find(f); at != std::string_view::npos; at = text.find(f, at + 1)) {
      hits.emplace_back(at, at + f.size());
    }
  }
  std::sort(hits.begin(), hits.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& h : hits) {
    if (!merged.empty() && h.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, h.second);
    } else {
      merged.push_back(h);
    }
  }
  return merged;
}

std::size_t scrub_once(std::string& text, const std::vector<std::string>& forms) {
  const auto ranges = occurrences(text, forms);
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

bool still_leaks(std::string_view text, const std::vector<std::string>& forms) {
  return std::any_of(forms.begin(), forms.end(), [&](const std::string& f) {
    return !f.empty() && kRedacted.find(f) == std::string_view::npos &&
           text.find(f) != std::string_view::npos;
  });
}

}  // namespace

std::vector<std::string> secret_forms(std::string_view secret, const vault::Auth& auth) {
  std::vector<std::string> forms;
  if (secret.empty()) return forms;
  add(forms, std::string(secret));
  add_base64(forms, secret);
  if (secret.size() >= kMinShiftedBytes) {
    for (std::size_t shift = 0; shift < 3; ++shift) {
      add(forms, shifted_core(secret, shift, false));
      add(forms, shifted_core(secret, shift, true));
    }
  }
  std::string pct = http::url_encode(secret);
  add(forms, lower_hex_escapes(pct));
  add(forms, replace_all(pct, "%20", "+"));
  add(forms, std::move(pct));
  std::string json = boost::json::serialize(boost::json::string_view(secret.data(), secret.size()));
  if (json.size() >= 2) {
    std::string inner = json.substr(1, json.size() - 2);
    add(forms, replace_all(inner, "/", "\\/"));
    add(forms, std::move(inner));
  }
  crypto::secure_wipe(json);
  std::string sent = injected_value(auth, secret);
  if (auth.kind == vault::AuthKind::basic) {
    std::string credentials;
    if (!auth.username.empty()) credentials.append(auth.username).push_back(':');
    credentials.append(secret);
    add_base64(forms, credentials);
    crypto::secure_wipe(credentials);
  }
  add(forms, std::move(sent));
  std::stable_sort(forms.begin(), forms.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return forms;
}

std::size_t scrub(std::string& text, const std::vector<std::string>& forms) {
  std::size_t count = 0;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    count += scrub_once(text, forms);
    if (!still_leaks(text, forms)) return count;
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
    if (!occurrences(name, forms).empty()) {  // "[REDACTED]" is no header name: drop it
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
