// Users and their upstream identities (tables `users`, `identities`).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::auth {

/// A verified upstream identity: who the provider says signed in.
struct Identity {
  std::string provider;  ///< identities.provider: "dev", "github", "google", "oidc:<issuer>"
  std::string subject;   ///< the provider's stable user id (OIDC `sub`, GitHub numeric id)
  std::string email;     ///< verified, lower-cased (see normalized_email)
};

/// A user row.
struct UserRef {
  std::string id;     ///< usr_…
  std::string email;  ///< the account's email (lower-cased)
};

/// Lower-cased `email` when it looks like an address: one '@' with text on
/// both sides, at most 254 bytes, no whitespace, control characters, quotes or
/// angle brackets. nullopt otherwise.
std::optional<std::string> normalized_email(std::string_view email);

/// The user signed in by `identity`: the user already linked to (provider,
/// subject); otherwise the user with the same email, whom the identity is then
/// linked to; otherwise a new user. One D1 batch, safe against concurrent
/// first sign-ins (each insert re-checks inside the transaction). The
/// identity's last seen email is kept in identities.email; users.email never
/// changes. Errors: 503 when D1 is unavailable.
async::Task<Result<UserRef>> find_or_create_user(api::Ctx& ctx, Identity identity);

}  // namespace ve::auth
