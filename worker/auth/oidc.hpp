// OpenID Connect relying party for sign-in (Google and any issuer by
// discovery): OpenID Connect Discovery 1.0 and the authorization-code flow of
// OpenID Connect Core 1.0 §3.1 with PKCE S256, `state` and `nonce`.
//
// ID token: our BearSSL subset has no RSA, so the JWS signature is not
// verified. The ID token comes straight from the token endpoint over TLS, which
// Core §3.1.3.7 (6) allows in place of the signature check; its claims are
// checked (iss, aud, exp, nonce, sub) and the email comes from the UserInfo
// endpoint (Core §5.3) called with the access token, whose `sub` must match.
#pragma once
#include <string>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/auth/providers.hpp"
#include "worker/auth/upstream_http.hpp"
#include "worker/auth/users.hpp"
#include "worker/result.hpp"

namespace ve::auth {

/// A provider's endpoints (from discovery, or fixed for GitHub).
struct Endpoints {
  std::string authorization;
  std::string token;
  std::string userinfo;  ///< may be empty for an OIDC issuer without one
  ClientAuth client_auth = ClientAuth::basic;
};

/// Fetches `{issuer}/.well-known/openid-configuration` (Discovery §4). Errors
/// 502 `upstream_error`: unreachable, not JSON, `issuer` not equal to the
/// configured one (§4.3), an endpoint missing or not allowed by
/// allowed_endpoint() (https only, except loopback http in development).
async::Task<Result<Endpoints>> oidc_discover(api::Ctx& ctx, const Provider& provider);

/// What the sign-in callback hands over to the client.
struct CallbackInput {
  std::string code;          ///< from the callback query
  std::string verifier;      ///< PKCE code_verifier stored at start
  std::string nonce;         ///< stored at start, must come back in the ID token
  std::string redirect_uri;  ///< exactly as sent at start
};

/// Exchanges the code and returns the verified identity (provider.identity,
/// `sub`, lower-cased email). Errors: 502 `upstream_error` when the provider
/// fails or answers inconsistently (bad ID token claims, nonce mismatch,
/// UserInfo `sub` differs); 403 `email_not_verified` when the provider says
/// `email_verified: false`; 403 `no_email` when it shares no email.
async::Task<Result<Identity>> oidc_identity(api::Ctx& ctx, const Provider& provider,
                                            const Endpoints& endpoints, CallbackInput in);

}  // namespace ve::auth
