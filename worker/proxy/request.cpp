#include "worker/proxy/request.hpp"

#include <algorithm>
#include <vector>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/http/message.hpp"

namespace ve::proxy {

namespace {

constexpr std::size_t kMaxHeaderName = 256;
constexpr std::size_t kMaxHeaderValue = 8192;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool always_dropped(std::string_view n) {
  static constexpr std::string_view kExact[] = {
      "authorization",
      "cookie",
      "proxy-authorization",
      "host",
      "content-length",
      "connection",
      "keep-alive",
      "te",
      "trailer",
      "transfer-encoding",
      "upgrade",
      "proxy-connection",
      "x-real-ip",
      "forwarded",
      // The runtime negotiates the codings it decodes itself (response.hpp
      // body_decoded); a caller's choice could make the provider answer in
      // one the scrubber cannot read.
      "accept-encoding",
  };
  if (std::find(std::begin(kExact), std::end(kExact), n) != std::end(kExact)) return true;
  return starts_with(n, "x-locker-") || starts_with(n, "cf-") || starts_with(n, "x-forwarded-");
}

void set_header(async::Headers& headers, std::string_view name, std::string value) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return lower(h.first) == name; }),
                headers.end());
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

async::Headers forwarded_request_headers(const async::Headers& caller,
                                         std::string_view injection_header) {
  // Names listed by Connection are hop-by-hop too (RFC 9110 §7.6.1).
  std::vector<std::string> listed;
  for (const auto& [name, value] : caller) {
    if (lower(name) != "connection") continue;
    auto tokens = http::list_tokens(value);
    listed.insert(listed.end(), tokens.begin(), tokens.end());
  }
  const std::string injected = lower(injection_header);
  async::Headers out;
  for (const auto& [name, value] : caller) {
    const std::string n = lower(name);
    if (always_dropped(n) || (!injected.empty() && n == injected) ||
        std::find(listed.begin(), listed.end(), n) != listed.end()) {
      continue;
    }
    out.emplace_back(n, value);
  }
  return out;
}

Result<void> check_header(std::string_view name, std::string_view value) {
  if (name.empty() || name.size() > kMaxHeaderName ||
      !std::all_of(name.begin(), name.end(), is_tchar)) {
    return bad_request(
        "header name '" + std::string(name.substr(0, 64)) + "' is not a valid HTTP header name",
        "invalid_header");
  }
  if (value.size() > kMaxHeaderValue ||
      value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return bad_request("the value of header '" + std::string(name) +
                           "' contains CR, LF or NUL or is longer than 8192 bytes",
                       "invalid_header");
  }
  return {};
}

std::string_view injection_header(const vault::Auth& auth) {
  switch (auth.kind) {
    case vault::AuthKind::bearer:
    case vault::AuthKind::basic:
      return "authorization";
    case vault::AuthKind::header:
      return auth.header;
    case vault::AuthKind::query:
      break;
  }
  return "";
}

std::string injected_value(const vault::Auth& auth, std::string_view secret) {
  switch (auth.kind) {
    case vault::AuthKind::bearer:
      return "Bearer " + std::string(secret);
    case vault::AuthKind::header:
      return std::string(auth.prefix) + std::string(secret);
    case vault::AuthKind::basic: {
      std::string credentials;
      if (!auth.username.empty()) credentials.append(auth.username).push_back(':');
      credentials.append(secret);
      std::string out = "Basic " + crypto::base64_encode(credentials);
      crypto::secure_wipe(credentials);
      return out;
    }
    case vault::AuthKind::query:
      return http::url_encode(secret);
  }
  return std::string(secret);
}

void inject(async::FetchRequest& request, const vault::Auth& auth,
            std::span<const vault::StaticHeader> static_headers, std::string_view secret) {
  for (const auto& h : static_headers)
    set_header(request.headers, lower(h.name), std::string(h.value));
  if (auth.kind == vault::AuthKind::query) {
    std::string value = injected_value(auth, secret);
    const auto q = request.url.find('?');
    if (q == std::string::npos) {
      request.url.push_back('?');
    } else if (q + 1 != request.url.size() && request.url.back() != '&') {
      request.url.push_back('&');
    }
    request.url.append(http::url_encode(auth.param)).append("=").append(value);
    crypto::secure_wipe(value);
    return;
  }
  set_header(request.headers, lower(injection_header(auth)), injected_value(auth, secret));
}

}  // namespace ve::proxy
