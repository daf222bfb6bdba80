// Discovery: RFC 9728 protected-resource metadata for /v1/mcp and RFC 8414
// authorization-server metadata. Both are public and cacheable by clients, but
// we still send no-store like every answer of the vault (http::json).
#include <boost/json.hpp>

#include "worker/http/reply.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"

namespace ve::oauth::handlers {

namespace bj = boost::json;

namespace {
bj::array scope_names() {
  bj::array a;
  for (const auto& s : supported_scopes()) a.emplace_back(s.name);
  return a;
}
}  // namespace

Handler protected_resource_metadata(Ctx& ctx) {
  co_return http::json(200, bj::object{{"resource", mcp_resource(ctx.req)},
                                       {"authorization_servers", bj::array{issuer(ctx.req)}},
                                       {"scopes_supported", scope_names()},
                                       {"bearer_methods_supported", bj::array{"header"}},
                                       {"resource_name", "vaultedge"},
                                       {"resource_documentation", ctx.req.origin + "/"}});
}

Handler authorization_server_metadata(Ctx& ctx) {
  const std::string base = issuer(ctx.req);
  co_return http::json(
      200, bj::object{
               {"issuer", base},
               {"authorization_endpoint", base + "/oauth/authorize"},
               {"token_endpoint", base + "/oauth/token"},
               {"registration_endpoint", base + "/oauth/register"},
               {"revocation_endpoint", base + "/oauth/revoke"},
               {"scopes_supported", scope_names()},
               {"response_types_supported", bj::array{"code"}},
               {"response_modes_supported", bj::array{"query"}},
               {"grant_types_supported", bj::array{"authorization_code", "refresh_token"}},
               {"token_endpoint_auth_methods_supported", bj::array{"none"}},
               {"revocation_endpoint_auth_methods_supported", bj::array{"none"}},
               {"code_challenge_methods_supported", bj::array{"S256"}},
               {"client_id_metadata_document_supported", true},
               {"authorization_response_iss_parameter_supported", true},
           });
}

}  // namespace ve::oauth::handlers
