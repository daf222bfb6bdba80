// Scoped tokens as the API shows them (GET /v1/tokens, list_tokens, run_doctor).
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::tokens {

/// One scoped token's metadata (never a credential). Times in ms since epoch.
struct TokenView {
  std::string id, name, rotation_type;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at, paused_at, revoked_at;
  /// When the newest access credential expires; none for static tokens.
  std::optional<std::int64_t> current_expires_at;
  std::vector<std::pair<std::string, std::string>> allowed_keys;  ///< (id, name)
};

/// Every scoped token of ctx.principal's user (revoked ones too), newest first.
/// Errors: 503 when D1 is unavailable.
async::Task<Result<std::vector<TokenView>>> load_tokens(api::Ctx& ctx);

/// `{id, name, rotation_type, allowed_keys: [{id, name}], created_at,
/// last_used_at, paused_at, revoked, revoked_at, current_token_expires_at,
/// expires_at}` (times ISO 8601 or null; expires_at = current_token_expires_at,
/// the name API Locker's create answer uses).
boost::json::object token_json(const TokenView& t);

}  // namespace ve::tokens
