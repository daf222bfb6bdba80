#include "worker/auth/providers.hpp"

namespace ve::auth {

namespace {
std::string without_trailing_slash(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

/// "https://login.example.com/realms/x" → "login.example.com".
std::string host_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  return std::string(url.substr(0, url.find_first_of("/?#")));
}
}  // namespace

std::vector<Provider> configured_providers(const config::Config& config) {
  std::vector<Provider> out;
  auto github_id = config.var("GITHUB_CLIENT_ID");
  auto github_secret = config.var("GITHUB_CLIENT_SECRET");
  if (github_id && github_secret) {
    out.push_back({Provider::Protocol::github, "github", "github", "GitHub", "",
                   std::string(*github_id), std::string(*github_secret), "read:user user:email"});
  }
  auto google_id = config.var("GOOGLE_CLIENT_ID");
  auto google_secret = config.var("GOOGLE_CLIENT_SECRET");
  if (google_id && google_secret) {
    out.push_back({Provider::Protocol::oidc, "google", "google", "Google",
                   "https://accounts.google.com", std::string(*google_id),
                   std::string(*google_secret), "openid email profile"});
  }
  auto issuer = config.var("OIDC_ISSUER");
  auto oidc_id = config.var("OIDC_CLIENT_ID");
  if (issuer && oidc_id) {
    std::string iss = without_trailing_slash(*issuer);
    auto name = config.var("OIDC_NAME");
    std::string label = name ? std::string(*name) : host_of(iss);
    out.push_back({Provider::Protocol::oidc, "oidc", "oidc:" + iss, std::move(label), iss,
                   std::string(*oidc_id),
                   std::string(config.var("OIDC_CLIENT_SECRET").value_or("")),
                   "openid email profile"});
  }
  return out;
}

std::optional<Provider> find_provider(const config::Config& config, std::string_view slug) {
  for (auto& p : configured_providers(config)) {
    if (p.slug == slug) return std::move(p);
  }
  return std::nullopt;
}

}  // namespace ve::auth
