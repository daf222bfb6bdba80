#include "worker/http/message.hpp"

#include <algorithm>
#include <cctype>

namespace ve::http {

std::optional<std::string_view> find_header(const Headers& headers, std::string_view lower_name) {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string> list_tokens(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view token = value.substr(start, comma - start);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
      token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (!token.empty()) {
      std::string t(token);
      for (char& c : t) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      }
      out.push_back(std::move(t));
    }
    start = comma + 1;
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::pair<std::string, std::string>> form_pairs(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    auto amp = s.find('&');
    auto part = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto k = url_decode(part.substr(0, eq), true);
    auto v = eq == std::string_view::npos ? std::string() : url_decode(part.substr(eq + 1), true);
    out.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

namespace {

void parse_pairs(std::string_view s, std::map<std::string, std::string>& out) {
  for (auto& [k, v] : form_pairs(s)) out[std::move(k)] = std::move(v);
}
}  // namespace

std::string url_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  parse_pairs(body, out);
  return out;
}

bool is_loopback_authority(std::string_view authority) {
  auto host = authority;
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']') == std::string_view::npos) {
    host = host.substr(0, colon);
  } else if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  }
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

bool parse_url(std::string_view url, Request& out) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  auto scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  auto rest = url.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?#");
  out.origin = std::string(url.substr(0, scheme_end + 3 + std::min(path_start, rest.size())));
  std::string_view path_and_query =
      path_start == std::string_view::npos ? std::string_view("/") : rest.substr(path_start);
  if (auto hash = path_and_query.find('#'); hash != std::string_view::npos) {
    path_and_query = path_and_query.substr(0, hash);
  }
  auto q = path_and_query.find('?');
  out.path = std::string(path_and_query.substr(0, q));
  if (out.path.empty() || out.path[0] != '/') out.path.insert(out.path.begin(), '/');
  out.query.clear();
  if (q != std::string_view::npos) parse_pairs(path_and_query.substr(q + 1), out.query);
  return true;
}

}  // namespace ve::http
