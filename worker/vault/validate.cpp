#include "worker/vault/validate.hpp"

#include <algorithm>

#include "worker/http/message.hpp"
#include "worker/proxy/policy.hpp"

namespace ve::vault {

namespace {

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string field_error(std::string_view field, std::string_view what) {
  return "field '" + std::string(field) + "' " + std::string(what);
}

/// Splits `scheme://authority/rest`; false when malformed.
bool split_url(std::string_view url, std::string_view& scheme, std::string_view& authority) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  scheme = url.substr(0, sep);
  for (char c : scheme) {
    if (!alnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  auto rest = url.substr(sep + 3);
  authority = rest.substr(0, rest.find_first_of("/?#"));
  return true;
}

bool clean(std::string_view url) {
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return control(c) || c == ' ' || c == '\\'; });
}

}  // namespace

Result<std::string> check_name(std::string_view name, std::string_view field) {
  const std::string rule =
      "must be 1-128 characters: letters, digits and _ - . : @ + (at least one letter or digit)";
  if (name.empty() || name.size() > kMaxNameBytes) return bad_request(field_error(field, rule));
  bool has_alnum = false;
  for (char c : name) {
    if (alnum(c)) {
      has_alnum = true;
    } else if (c != '_' && c != '-' && c != '.' && c != ':' && c != '@' && c != '+') {
      return bad_request(field_error(field, rule));
    }
  }
  if (!has_alnum) return bad_request(field_error(field, rule));
  return std::string(name);
}

Result<std::vector<std::string>> parse_tags(const boost::json::object& body) {
  std::vector<std::string> raw;
  auto it = body.find("tags");
  if (it == body.end() || it->value().is_null()) return raw;
  const auto& v = it->value();
  if (v.is_string()) {
    std::string_view s = v.as_string();
    while (!s.empty()) {
      auto comma = s.find(',');
      auto part = trim(s.substr(0, comma));
      if (!part.empty()) raw.emplace_back(part);
      s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    }
  } else if (v.is_array()) {
    for (const auto& t : v.as_array()) {
      if (!t.is_string()) return bad_request("field 'tags' must be an array of strings");
      raw.emplace_back(trim(t.as_string()));
    }
  } else {
    return bad_request("field 'tags' must be an array of strings");
  }
  std::vector<std::string> out;
  for (auto& t : raw) {
    if (t.empty() || t.size() > kMaxTagBytes ||
        std::any_of(t.begin(), t.end(), [](char c) { return control(c) || c == ','; })) {
      return bad_request(
          "field 'tags' must hold tags of 1-64 characters without commas or control characters");
    }
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(std::move(t));
  }
  if (out.size() > kMaxTags) return bad_request("field 'tags' may hold at most 20 tags");
  return out;
}

Result<std::string> check_base_url(std::string_view url, bool development, std::string_view field) {
  const auto bad = [&] {
    return bad_request(field_error(
        field, development ? "must be an https:// URL (or http:// to localhost) without "
                             "credentials, query or fragment"
                           : "must be an https:// URL without credentials, query or fragment"));
  };
  std::string_view scheme, authority;
  if (url.size() > kMaxUrlBytes || !clean(url) || !split_url(url, scheme, authority)) return bad();
  if (authority.empty() || authority.find('@') != std::string_view::npos) return bad();
  if (url.find_first_of("?#") != std::string_view::npos) return bad();
  if (scheme != "https" &&
      !(development && scheme == "http" && http::is_loopback_authority(authority))) {
    return bad();
  }
  // The proxy's destination policy decides at call time; asking it here too
  // tells the user now, not at their first proxy call, that an address such as
  // https://10.0.0.1 will never be reached.
  if (auto reachable = proxy::check_base_url(url, development); !reachable.ok()) {
    return bad_request(
        field_error(field, "names a destination the proxy refuses: " + reachable.error().message));
  }
  std::string out(url);
  while (out.size() > scheme.size() + 3 + authority.size() && out.back() == '/') out.pop_back();
  return out;
}

Result<std::string> check_oauth_url(std::string_view url, std::string_view field, bool any_scheme) {
  std::string_view scheme, authority;
  if (url.size() > kMaxUrlBytes || !clean(url) || !split_url(url, scheme, authority)) {
    return bad_request(field_error(field, "must be an absolute URL"));
  }
  const bool web =
      scheme == "https" || (scheme == "http" && http::is_loopback_authority(authority));
  if (!web && !(any_scheme && scheme != "http" && scheme != "javascript" && scheme != "data")) {
    return bad_request(field_error(field, "must be an https:// URL (or http:// to localhost)"));
  }
  if (web && authority.empty()) return bad_request(field_error(field, "must name a host"));
  return std::string(url);
}

Result<void> check_secret(std::string_view value, std::string_view field, std::size_t min_bytes) {
  if (value.empty()) return bad_request(field_error(field, "is required and must not be empty"));
  if (value.size() > kMaxValueBytes) {
    return bad_request(field_error(field, "is larger than 64 KiB"), "value_too_large");
  }
  if (value.find('\0') != std::string_view::npos) {
    return bad_request(field_error(field, "must not contain a NUL character"));
  }
  if (value.size() < min_bytes) {
    return bad_request(field_error(field, "is shorter than " + std::to_string(min_bytes) +
                                              " characters: store the full credential"),
                       "value_too_short");
  }
  return {};
}

}  // namespace ve::vault
