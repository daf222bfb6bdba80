#include "worker/proxy/response.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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
      "connection",       "keep-alive",         "te",
      "trailer",          "transfer-encoding",  "upgrade",
      "proxy-connection", "proxy-authenticate", "set-cookie",
      "set-cookie2",      "content-length",     "content-encoding",
  };
  return std::find(std::begin(kExact), std::end(kExact), n) != std::end(kExact) ||
         n.substr(0, 9) == "x-locker-";
}

}  // namespace

async::Headers forwarded_response_headers(const async::Headers& upstream) {
  std::vector<std::string> listed;
  for (const auto& [name, value] : upstream) {
    if (lower(name) != "connection") continue;
    std::size_t start = 0;
    while (start <= value.size()) {
      auto comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      std::string token = lower(std::string_view(value).substr(start, comma - start));
      token.erase(0, token.find_first_not_of(" \t"));
      token.erase(token.find_last_not_of(" \t") + 1);
      if (!token.empty()) listed.push_back(std::move(token));
      start = comma + 1;
    }
  }
  async::Headers out;
  for (const auto& [name, value] : upstream) {
    std::string n = lower(name);
    if (dropped(n) || std::find(listed.begin(), listed.end(), n) != listed.end()) continue;
    out.emplace_back(std::move(n), value);
  }
  return out;
}

}  // namespace ve::proxy
