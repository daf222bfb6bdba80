// Route table entries. Each domain contributes a list (see app.cpp); the
// router authenticates according to `access` before calling the handler, so
// no handler can forget to.
#pragma once
#include <string_view>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"

namespace ve::api {

enum class Access {
  open,        ///< no principal needed (sign-in pages, device start/poll, metadata)
  session,     ///< browser session cookie (dashboard, approval pages); none → handler decides
  user,        ///< full-access principal: session or device master token
  any_bearer,  ///< any authenticated principal; the handler checks scopes / allowed keys
  /// A bearer token only (device master, scoped, OAuth access token), never the
  /// browser session cookie, which a cross-site navigation carries: for routes
  /// that answer with bytes we did not write (the proxy, docs/proxy.md).
  token,
};

using HandlerFn = async::Task<http::Response> (*)(Ctx&);

struct Route {
  std::string_view method;   ///< "GET", "POST", … or "*" for any
  std::string_view pattern;  ///< "/v1/keys/:id/rotate"; a final "*" matches the rest
  Access access;
  HandlerFn handler;
  /// Callable from any web origin (Fetch standard CORS, without credentials):
  /// the router answers the OPTIONS preflight for the path and adds
  /// `Access-Control-Allow-Origin: *` to the answers. Only for open routes
  /// that read no cookie, such as the OAuth endpoints browser-based MCP
  /// clients call (docs/oauth.md "Cross-origin requests").
  bool cross_origin = false;
};

}  // namespace ve::api
