// Where the browser goes after signing in: the open-redirect guard.
#pragma once
#include <string>
#include <string_view>

#include "worker/result.hpp"

namespace ve::auth {

/// Destination after sign-in (and sign-out) when the request names none:
/// GET /auth/login, which forwards a signed-in browser to the dashboard (`/`).
inline constexpr std::string_view kDefaultReturnTo = "/auth/login";

/// Longest accepted `return_to`, in bytes.
inline constexpr std::size_t kMaxReturnTo = 2048;

/// Validates a `return_to` value (already percent-decoded) as a same-origin
/// relative reference: it must start with exactly one '/' (so not "//host" or
/// "/\host", which browsers treat as another origin), contain no backslash, no
/// space or control character, and be at most kMaxReturnTo bytes. Empty means
/// kDefaultReturnTo. Error 400 `invalid_return_to` otherwise.
Result<std::string> checked_return_to(std::string_view value);

}  // namespace ve::auth
