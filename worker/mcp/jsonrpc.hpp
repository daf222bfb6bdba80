// JSON-RPC 2.0 as MCP uses it ("Base Protocol" / "Messages" of every revision):
// the shape of one inbound message, and error and result response objects.
// Batches (JSON arrays) are not part of any revision we speak: 2025-06-18 removed
// them; the transport refuses them before anything here runs.
#pragma once
#include <boost/json.hpp>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ve::mcp::rpc {

// Standard JSON-RPC codes and the MCP-specific ones.
inline constexpr int kParseError = -32700;      ///< body is not JSON
inline constexpr int kInvalidRequest = -32600;  ///< JSON, but not a JSON-RPC message
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerError = -32000;         ///< transport-level refusals (reference SDK)
inline constexpr int kResourceNotFound = -32002;    ///< resources/read miss (2025 revisions)
inline constexpr int kHeaderMismatch = -32020;      ///< SEP-2243: headers disagree with the body
inline constexpr int kUnsupportedVersion = -32022;  ///< 2026-07-28: unknown protocol revision

/// A JSON-RPC error plus the HTTP status it travels with when it is the whole
/// answer. Errors found while classifying the request (the reference SDK's
/// "ladder": parse, shape, version, header checks) carry 4xx; errors a method
/// produces travel in-band on 200 — except -32601 on 2026-07-28, which the
/// reference answers with 404.
struct RpcError {
  int code = kInternalError;
  std::string message;
  std::optional<boost::json::value> data;
  int http_status = 200;
};

/// Shorthands.
RpcError invalid_params(std::string message);
RpcError invalid_request(std::string message);  ///< HTTP 400

/// Either a T or an RpcError (cf. ve::Result, which carries HTTP errors).
template <class T>
class [[nodiscard]] Rpc {
 public:
  Rpc(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Rpc(RpcError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  T& value() {
    if (!ok()) std::abort();
    return std::get<0>(v_);
  }
  const RpcError& error() const {
    if (ok()) std::abort();
    return std::get<1>(v_);
  }

 private:
  std::variant<T, RpcError> v_;
};

enum class Kind { request, notification, response };

/// One well-formed inbound message.
struct Message {
  Kind kind = Kind::request;
  boost::json::value id;       ///< string or integer (null for notifications)
  std::string method;          ///< "" for responses
  boost::json::object params;  ///< `{}` when absent

  /// params._meta when it is an object, else nullptr.
  const boost::json::object* meta() const {
    const auto* m = params.if_contains("_meta");
    return m && m->is_object() ? &m->as_object() : nullptr;
  }
};

/// Classifies a parsed body (JSON-RPC 2.0 §4, §5): a request has `jsonrpc: "2.0"`,
/// a string `method`, an `id` that is a string or an integer (not null, not a
/// fraction), and `params`, when present, an object (MCP never uses by-position
/// params). A notification has no `id`. A response has `id` and exactly one of
/// `result` / `error`. Anything else → -32600 (HTTP 400), naming what is wrong.
/// Arrays are not handled here (see transport).
Rpc<Message> classify(const boost::json::value& body);

/// The id to echo in an error about `body`: its `id` when that is a string or an
/// integer and `body` has a method, else null (JSON-RPC §5: id null when unknown).
boost::json::value echoable_id(const boost::json::value& body);

/// `{"jsonrpc":"2.0","id":id,"error":{"code","message","data"?}}`
boost::json::object error_message(const boost::json::value& id, const RpcError& e);
/// `{"jsonrpc":"2.0","id":id,"result":result}`
boost::json::object result_message(const boost::json::value& id, boost::json::object result);
/// `{"jsonrpc":"2.0","method":method,"params":params}` (server → client notification).
boost::json::object notification(std::string_view method, boost::json::object params);

}  // namespace ve::mcp::rpc
