#include "worker/oauth/scopes.hpp"

#include <algorithm>
#include <array>

namespace ve::oauth {

namespace {
constexpr std::array kScopes = {
    ScopeInfo{"vault:read",
              "See your keys' names, providers, tags and activity, and reveal key values", false},
    ScopeInfo{"vault:write", "Store, rename, rotate, pause, resume and delete keys; revoke devices",
              true},
    ScopeInfo{"vault:proxy",
              "Use your keys in requests to their providers without seeing them (proxy_request)",
              true},
};
constexpr std::size_t kMaxScopeParam = 1024;
}  // namespace

std::span<const ScopeInfo> supported_scopes() {
  return kScopes;
}

std::vector<std::string> split_scopes(std::string_view scope) {
  std::vector<std::string> out;
  while (!scope.empty()) {
    auto sp = scope.find(' ');
    auto token = scope.substr(0, sp);
    if (!token.empty()) out.emplace_back(token);
    scope = sp == std::string_view::npos ? std::string_view() : scope.substr(sp + 1);
  }
  return out;
}

Result<std::vector<std::string>> parse_scope(std::string_view scope) {
  if (scope.size() > kMaxScopeParam) {
    return bad_request("scope is too long (at most 1024 bytes)", "invalid_scope");
  }
  auto requested = split_scopes(scope.empty() ? kDefaultScope : scope);
  requested.emplace_back(kBaseScope);
  for (const auto& s : requested) {
    const bool known =
        std::any_of(kScopes.begin(), kScopes.end(), [&](const auto& k) { return k.name == s; });
    if (!known) {
      std::string list;
      for (const auto& k : kScopes) list += (list.empty() ? "" : ", ") + std::string(k.name);
      return bad_request("unknown scope '" + s.substr(0, 64) + "': this server offers " + list,
                         "invalid_scope");
    }
  }
  std::vector<std::string> out;
  for (const auto& k : kScopes) {
    if (std::find(requested.begin(), requested.end(), k.name) != requested.end()) {
      out.emplace_back(k.name);
    }
  }
  return out;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string_view scope_summary(std::string_view name) {
  for (const auto& k : kScopes) {
    if (k.name == name) return k.summary;
  }
  return name;
}

}  // namespace ve::oauth
