// POST /v1/mcp (Streamable HTTP) and the 405 for every other method there.
#include <algorithm>

#include "worker/api/domains.hpp"
#include "worker/mcp/dispatch.hpp"
#include "worker/mcp/envelope.hpp"
#include "worker/mcp/permission.hpp"
#include "worker/mcp/tool_audit.hpp"
#include "worker/mcp/transport.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {

async::Task<http::Response> post(api::Ctx& ctx) {
  // DNS rebinding (MCP 2025-11-25 transports, "Security Warning"): the
  // development server listens on loopback, so a Host naming anything else is a
  // page that rebound its own name to us; its Origin would match that Host.
  const std::string_view origin = ctx.req.origin;
  const auto authority = origin.substr(std::min(origin.size(), origin.find("://") + 3));
  if (ctx.config.development() && !http::is_loopback_authority(authority)) {
    co_return error_answer(nullptr, {rpc::kServerError,
                                     "Forbidden: this development server answers MCP requests "
                                     "only for localhost, 127.0.0.1 and [::1]",
                                     std::nullopt, 403});
  }
  if (auto refusal = check_post(ctx.req)) co_return std::move(*refusal);

  boost::system::error_code ec;
  bj::value body = bj::parse(ctx.req.body, ec);
  if (ec) {
    co_return error_answer(nullptr,
                           {rpc::kParseError,
                            "Parse error: the request body is not valid JSON (send one JSON-RPC "
                            "message as a JSON object)",
                            std::nullopt, 400});
  }
  if (body.is_array()) {
    co_return error_answer(
        nullptr, rpc::invalid_request(
                     "Invalid Request: JSON-RPC batches (arrays) are not accepted: MCP removed "
                     "batching in protocol revision 2025-06-18 and no revision this server "
                     "speaks allows it; send one message per POST"));
  }
  auto msg = rpc::classify(body);
  if (!msg.ok()) co_return error_answer(rpc::echoable_id(body), msg.error());
  const auto& m = msg.value();
  if (m.kind == rpc::Kind::response) co_return accepted();

  auto revision = negotiate(ctx.req, m);
  if (!revision.ok())
    co_return error_answer(m.kind == rpc::Kind::request ? m.id : nullptr, revision.error());
  // Notifications (initialized, cancelled, progress, roots/list_changed …) need
  // no action from a stateless server.
  if (m.kind == rpc::Kind::notification) co_return accepted();

  // An OAuth connection's label is its grant's client name (tool_audit.hpp).
  const bool oauth = ctx.principal.kind == auth::Principal::Kind::oauth;
  std::string client = oauth ? ctx.principal.client : client_label(ctx.req, m.meta());
  Exchange ex{ctx, revision.value(), m, std::move(client), accepts_sse(ctx.req), {}};
  // Every MCP request of an OAuth client needs vault:read (docs/oauth.md "Scopes").
  auto result = oauth && !ctx.principal.has_scope(std::string(oauth::kBaseScope))
                    ? MethodResult(*step_up(ctx.principal, oauth::kBaseScope))
                    : co_await dispatch(ex);
  int status = 200;
  bj::object response;
  std::optional<std::string> challenge;
  if (result.ok()) {
    response = rpc::result_message(m.id, std::move(result.value()));
  } else {
    status = result.error().http_status;
    response = rpc::error_message(m.id, result.error());
    if (auto scope = step_up_scope(result.error())) {
      challenge =
          oauth::bearer_challenge(ctx.req, *scope, "insufficient_scope", result.error().message);
    }
  }
  if (challenge) {
    auto r = json_answer(status, response);
    r.headers.emplace_back("www-authenticate", std::move(*challenge));
    co_return r;
  }
  if (ex.sse && !ex.notify.messages().empty()) {
    co_return sse_answer(ex.notify.messages(), response);
  }
  co_return json_answer(status, response);
}

async::Task<http::Response> not_allowed(api::Ctx& ctx) {
  co_return method_not_allowed(ctx.req);
}

}  // namespace

std::vector<api::Route> routes() {
  using api::Access;
  return {
      // Device master tokens, browser sessions and OAuth access tokens (whose
      // scopes are checked per method and tool: permission.hpp).
      {"POST", "/v1/mcp", Access::any_bearer, &post},
      // Authenticated first: a client probing with GET must see the 401 that
      // starts its OAuth flow (mcp-remote waits for it before listening for the
      // browser's callback), and only then the 405.
      {"*", "/v1/mcp", Access::any_bearer, &not_allowed},
  };
}

}  // namespace ve::mcp
