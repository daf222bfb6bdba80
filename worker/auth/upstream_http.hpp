// HTTP plumbing shared by the upstream sign-in clients (GitHub, OIDC): URL
// policy, query/form encoding, JSON fetches and the authorization-code
// exchange (RFC 6749 §4.1.3). All traffic goes through ctx.io.fetch.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::auth {

using Params = std::vector<std::pair<std::string, std::string>>;

/// True when `url` may be used as a sign-in provider endpoint: an https URL
/// with a host, or — only when config.development() — an http URL whose host is
/// loopback (localhost, 127.x.x.x, [::1]).
bool allowed_endpoint(const config::Config& config, std::string_view url);

/// application/x-www-form-urlencoded encoding of `params` (RFC 3986 unreserved kept).
std::string form_encode(const Params& params);

/// `base` with `params` appended as its query ('?' or '&' as needed).
std::string with_query(std::string base, const Params& params);

/// Fetches `request` and parses the body as a JSON object (`what` names the
/// endpoint in messages, e.g. "GitHub's token endpoint"). Errors, all 502
/// `upstream_error`: unreachable, a non-2xx status (the RFC 6749 `error` code is
/// quoted when the body has one), a body that is not a JSON object.
async::Task<Result<boost::json::object>> fetch_json(api::Ctx& ctx, async::FetchRequest request,
                                                    std::string what);

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1).
enum class ClientAuth { basic, post };

/// The authorization-code grant with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.5):
/// POSTs grant_type, code, redirect_uri, code_verifier and the client
/// credentials to `token_endpoint`, with `Accept: application/json`. Returns
/// the token response. Errors 502 `upstream_error` as fetch_json, also for an
/// `error` member in a 200 answer (GitHub does that) or a missing access_token.
async::Task<Result<boost::json::object>> exchange_code(api::Ctx& ctx, std::string token_endpoint,
                                                       std::string client_id,
                                                       std::string client_secret, ClientAuth auth,
                                                       std::string code, std::string verifier,
                                                       std::string redirect_uri, std::string what);

/// A string member of `o`, or "" when absent or not a string.
std::string string_member(const boost::json::object& o, std::string_view name);

}  // namespace ve::auth
