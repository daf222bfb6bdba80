// Grants, codes, access and refresh tokens (docs/oauth.md "Tokens"): what is
// minted, how long it lives, and the statements that store and revoke it. All
// credentials are random 256-bit strings with a kind prefix, stored only as
// auth::credential_hash() (docs/architecture.md "Cryptography").
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/auth/principal.hpp"
#include "worker/oauth/authorize_request.hpp"
#include "worker/result.hpp"

namespace ve::oauth {

inline constexpr std::string_view kAccessPrefix = "vk_at_";
inline constexpr std::string_view kRefreshPrefix = "vk_rt_";
inline constexpr std::string_view kCodePrefix = "vk_code_";
inline constexpr std::int64_t kAccessLifetimeS = 3600;               ///< 1 hour
inline constexpr std::int64_t kRefreshLifetimeS = 30LL * 24 * 3600;  ///< 30 days
inline constexpr std::int64_t kCodeLifetimeMs = 60'000;              ///< 60 seconds

/// Creates the grant for an approved consent (`scopes` as the user left them)
/// and its authorization code, with the audit row `oauth.approve`, in one D1
/// batch. Returns the code (`vk_code_…`). Errors: 503 (D1 or randomness).
async::Task<Result<std::string>> create_grant(api::Ctx& ctx, const AuthorizeRequest& r,
                                              const std::vector<std::string>& scopes);

/// A freshly minted access + refresh token pair (not stored yet).
struct TokenPair {
  std::string access, refresh, scope;
};

/// New random tokens for `scope`; error 503 when randomness failed.
Result<TokenPair> new_pair(std::string scope);

/// INSERTs of both tokens of `pair` under `grant_id`, each executed only when
/// the SQL `condition` (plain `?` placeholders bound to `params`) holds, so a
/// batch can make them depend on the code or refresh token still being unspent.
std::vector<async::Statement> insert_pair_if(const std::string& grant_id, const TokenPair& pair,
                                             std::int64_t now, const std::string& condition,
                                             const std::vector<async::SqlValue>& params);

/// The RFC 6749 §5.1 success body: access_token, token_type "Bearer",
/// expires_in (seconds), refresh_token, scope.
boost::json::object token_response(const TokenPair& pair);

/// Statements that revoke grant `grant_id` and every live token issued under
/// it (the refresh-token family), recording `reason` (user | client |
/// code_replay | refresh_reuse). The first statement's `changes` is the number
/// of tokens revoked.
std::vector<async::Statement> revoke_grant_statements(const std::string& grant_id,
                                                      std::string_view reason, std::int64_t now);

/// The principal of an access token (`vk_at_…`) presented at this request:
/// kind oauth, the grant's user, actor_id = client_id, client = client name,
/// token_id = grant id, the token's scopes. Bumps the grant's last_used_at (at
/// most once a minute) in the same round trip. Errors 401 `invalid_token`:
/// unknown, expired or revoked token, or a request outside the token's
/// audience (RFC 8707: only the MCP endpoint `resource` it was issued for).
async::Task<Result<auth::Principal>> access_token_principal(api::Ctx& ctx, std::string_view token);

}  // namespace ve::oauth
