// The vault health report for the signed-in user: one D1 batch reads the
// facts the rules need (keys, live devices, live scoped tokens, each keyed by
// the principal's user_id), then rules.hpp judges them. Shared by GET
// /v1/doctor and the MCP run_doctor tool, so both say the same thing.
#pragma once
#include <boost/json.hpp>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/health/rules.hpp"
#include "worker/result.hpp"

namespace ve::health {

/// Everything the rules look at, for one user.
struct Facts {
  std::vector<KeyFacts> keys;        ///< every key, oldest first (as GET /v1/keys)
  std::vector<DeviceFacts> devices;  ///< live devices, newest first; `current`: the caller's
  std::vector<TokenFacts> tokens;    ///< scoped tokens not revoked, newest first
};

/// Reads the facts of ctx.principal's user. Error 503 when D1 is unavailable.
async::Task<Result<Facts>> gather(api::Ctx& ctx);

/// gather() + report() at the current time: the report object of rules.hpp.
async::Task<Result<boost::json::object>> vault_report(api::Ctx& ctx, const Thresholds& t,
                                                      FixField fixes);

}  // namespace ve::health
