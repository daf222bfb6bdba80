// PKCE for our upstream sign-ins (RFC 7636), method S256 only.
#pragma once
#include <string>
#include <string_view>

namespace ve::auth {

/// A fresh code_verifier: 43 characters of base64url over 32 random bytes
/// (RFC 7636 §4.1 allows 43–128 unreserved characters). "" if randomness failed.
std::string pkce_verifier();

/// code_challenge for method S256 (RFC 7636 §4.2): base64url(SHA-256(verifier)), no padding.
std::string pkce_challenge(std::string_view verifier);

}  // namespace ve::auth
