// Streamable HTTP (basic/transports, "Streamable HTTP") for POST /v1/mcp: the
// HTTP-level checks and the framing of answers. We offer no standalone SSE stream
// (GET) and no sessions (no Mcp-Session-Id; DELETE is meaningless): the server is
// stateless on every revision, so any isolate can answer any request.
#pragma once
#include <boost/json.hpp>
#include <cstddef>
#include <optional>

#include "worker/http/message.hpp"
#include "worker/mcp/jsonrpc.hpp"

namespace ve::mcp {

/// Request bodies larger than this are refused (413). The shim enforces the same
/// limit before the core sees the bytes; this is the core's own guard.
inline constexpr std::size_t kMaxBodyBytes = std::size_t{1024} * 1024;

/// The checks every POST must pass before its body is read, in this order, each
/// a JSON-RPC error body (code -32000, id null) with an HTTP status:
///   body over kMaxBodyBytes                               → 413
///   `Origin` present and not this server's own origin     → 403 (DNS rebinding,
///                                                            "Security Warning")
///   `Content-Type` media type not application/json        → 415
///   `Accept` present and naming neither application/json
///   nor a wildcard that covers it                         → 406
/// An absent `Accept` is allowed (the `apilocker mcp` bridge sends none).
/// nullopt when the request passes.
std::optional<http::Response> check_post(const http::Request& req);

/// True when `Accept` names text/event-stream (or a wildcard covering it): the
/// answer may then be an SSE stream.
bool accepts_sse(const http::Request& req);

/// A JSON answer (compact, single line) with `status`.
http::Response json_answer(int status, const boost::json::value& body);
/// A JSON-RPC error as the whole answer, with its HTTP status.
http::Response error_answer(const boost::json::value& id, const rpc::RpcError& e);
/// `text/event-stream`: each notification, then `response`, as `event: message`
/// events (`data:` is the compact JSON, which never contains a newline).
http::Response sse_answer(const boost::json::array& notifications,
                          const boost::json::object& response);
/// 202 Accepted, empty body (notifications and client responses).
http::Response accepted();
/// 405 with `Allow: POST` (GET: no standalone stream; DELETE: no sessions).
http::Response method_not_allowed(const http::Request& req);

}  // namespace ve::mcp
