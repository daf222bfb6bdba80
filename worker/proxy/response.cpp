#include "worker/proxy/response.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "worker/http/message.hpp"

namespace ve::proxy {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

bool dropped(std::string_view n) {
  static constexpr std::string_view kExact[] = {
      // hop-by-hop and framing (RFC 9110 §7.6.1)
      "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
      "proxy-connection", "proxy-authenticate", "content-length", "content-encoding",
      // state and powers that would apply to our origin, not the provider's
      "set-cookie", "set-cookie2", "service-worker-allowed", "clear-site-data", "refresh", "link",
      "alt-svc", "strict-transport-security", "origin-agent-cluster",
      // replaced by the proxy's own (routes.cpp)
      "content-security-policy", "content-security-policy-report-only", "x-content-type-options",
      "content-disposition", "x-frame-options"};
  return std::find(std::begin(kExact), std::end(kExact), n) != std::end(kExact) ||
         n.substr(0, 9) == "x-locker-" || n.substr(0, 15) == "access-control-";
}

}  // namespace

async::Headers forwarded_response_headers(const async::Headers& upstream) {
  std::vector<std::string> listed;
  for (const auto& [name, value] : upstream) {
    if (lower(name) != "connection") continue;
    auto tokens = http::list_tokens(value);
    listed.insert(listed.end(), tokens.begin(), tokens.end());
  }
  async::Headers out;
  for (const auto& [name, value] : upstream) {
    std::string n = lower(name);
    if (dropped(n) || std::find(listed.begin(), listed.end(), n) != listed.end()) continue;
    out.emplace_back(std::move(n), value);
  }
  return out;
}

bool body_decoded(const async::Headers& upstream) {
  int decoded_layers = 0;
  for (const auto& [name, value] : upstream) {
    if (lower(name) != "content-encoding") continue;
    for (const auto& token : http::list_tokens(value)) {
      if (token == "identity") continue;
      if (token != "gzip" && token != "x-gzip" && token != "br") return false;
      ++decoded_layers;
    }
  }
  return decoded_layers <= 1;
}

}  // namespace ve::proxy
