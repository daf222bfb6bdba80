// Upstream sign-in providers, configured by Worker vars and secrets:
//
//   github  GITHUB_CLIENT_ID + secret GITHUB_CLIENT_SECRET   (GitHub OAuth app)
//   google  GOOGLE_CLIENT_ID + secret GOOGLE_CLIENT_SECRET   (OIDC, issuer
//   https://accounts.google.com) oidc    OIDC_ISSUER + OIDC_CLIENT_ID (+ secret OIDC_CLIENT_SECRET,
//   + OIDC_NAME label)
//
// A provider is offered only when its variables are all set (OIDC_CLIENT_SECRET
// may be omitted for a public client: PKCE still protects the code).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/config/config.hpp"

namespace ve::auth {

struct Provider {
  enum class Protocol { github, oidc };
  Protocol protocol = Protocol::oidc;
  std::string slug;      ///< route segment: "github" | "google" | "oidc"
  std::string identity;  ///< identities.provider: "github", "google", "oidc:<issuer>"
  std::string label;     ///< button text, e.g. "GitHub"
  std::string issuer;    ///< OIDC issuer URL without trailing '/' (empty for GitHub)
  std::string client_id;
  std::string client_secret;  ///< may be empty for a public OIDC client
  std::string scope;          ///< requested scopes, space-separated
};

/// The providers whose variables are set, in display order (GitHub, Google, OIDC).
std::vector<Provider> configured_providers(const config::Config& config);

/// The configured provider with this route slug, or nullopt.
std::optional<Provider> find_provider(const config::Config& config, std::string_view slug);

}  // namespace ve::auth
