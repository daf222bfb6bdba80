// Validation of an authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636
// §4.3, resource indicators, RFC 8707 §2), in the order RFC 6749 §4.1.2.1
// requires: the client and its redirect URI first — if either is wrong the user
// sees an error page and nothing is sent anywhere — then everything else, whose
// errors go back to the client's redirect URI.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/oauth/clients.hpp"

namespace ve::oauth {

/// A request that passed every check.
struct AuthorizeRequest {
  Client client;
  std::string redirect_uri;         ///< as presented (matches a registered one)
  std::string state;                ///< echoed back verbatim; may be ""
  std::string code_challenge;       ///< S256 challenge, 43–128 unreserved characters
  std::string resource;             ///< canonical: mcp_resource(req)
  std::vector<std::string> scopes;  ///< parse_scope() of the request's `scope`
};

/// Either the valid request, or the response that refuses it: an HTML error
/// page (400 unknown client or redirect URI; 429 with Retry-After when this
/// address fetched too many metadata documents) or a 303 to the redirect URI
/// with `error`, `error_description`, `state` and `iss` (RFC 9207).
struct CheckedRequest {
  std::optional<AuthorizeRequest> request;
  http::Response refusal;
};

/// Checks the query of GET /oauth/authorize. Error codes in redirects:
/// `unsupported_response_type` (not "code"), `invalid_request` (missing or
/// malformed `code_challenge`, method other than S256, `state` over 1 KiB),
/// `invalid_scope`, `invalid_target` (a `resource` other than the MCP endpoint).
async::Task<CheckedRequest> check_authorize_request(api::Ctx& ctx,
                                                    const std::map<std::string, std::string>& q);

/// True when `s` has the shape RFC 7636 gives both the code_verifier (§4.1)
/// and an S256 code_challenge (§4.2): 43–128 characters of A-Z a-z 0-9 - . _ ~.
bool is_pkce_string(std::string_view s);

/// `redirect_uri` with the authorization response parameters added (RFC 6749
/// §4.1.2, RFC 9207 `iss`): `params` then `state` (when not empty) then `iss`.
std::string redirect_with(const api::Ctx& ctx, std::string redirect_uri,
                          std::vector<std::pair<std::string, std::string>> params,
                          const std::string& state);

}  // namespace ve::oauth
