// Scoped-token credentials (docs/proxy.md "Scoped tokens"): the rotation
// cadences, lifetimes, minting and the principal a credential stands for.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/auth/principal.hpp"
#include "worker/result.hpp"

namespace ve::tokens {

inline constexpr std::string_view kAccessPrefix = "vk_scoped_";
inline constexpr std::string_view kRefreshPrefix = "vk_srt_";

/// API Locker's rotation cadences.
enum class Rotation { static_, hourly, daily, weekly, monthly };

/// "static" | "hourly" | "daily" | "weekly" | "monthly".
std::string_view rotation_name(Rotation r);
/// The cadence named `name`, or nullopt.
std::optional<Rotation> parse_rotation(std::string_view name);

/// Lifetime of an access credential in ms: none for static; 1 h, 24 h, 7 days, 30 days.
std::optional<std::int64_t> access_lifetime_ms(Rotation r);
/// Lifetime of a refresh credential in ms: max(30 days, 3 × the access lifetime).
std::int64_t refresh_lifetime_ms(Rotation r);

/// A freshly minted credential set (not stored yet): `refresh` is "" for static tokens.
struct Minted {
  std::string access, refresh;
  std::optional<std::int64_t> access_expires_at;  ///< ms since epoch; none for static
};

/// New random credentials for a token with cadence `r` at `now` (ms). Error 503
/// when randomness failed.
Result<Minted> mint(Rotation r, std::int64_t now);

/// INSERTs of `m`'s credentials for token `token_id`, each run only when the SQL
/// `condition` (plain `?` placeholders bound to `params`) holds ("1" for always).
std::vector<async::Statement> insert_credentials_if(const std::string& token_id, const Minted& m,
                                                    Rotation r, std::int64_t now,
                                                    const std::string& condition,
                                                    const std::vector<async::SqlValue>& params);

/// The principal of a scoped access credential (`vk_scoped_…`): kind scoped,
/// the token's user, actor_id = token_id = the token id, client = the token's
/// name, allowed_keys = its keys. Bumps the token's last_used_at (at most once
/// a minute) in the same D1 round trip. Errors: 401 `invalid_token` (unknown,
/// expired — "refresh it" — or revoked), 403 `token_paused`.
async::Task<Result<auth::Principal>> scoped_principal(api::Ctx& ctx, std::string_view token);

}  // namespace ve::tokens
