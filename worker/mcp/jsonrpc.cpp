#include "worker/mcp/jsonrpc.hpp"

namespace ve::mcp::rpc {

namespace bj = boost::json;

RpcError invalid_params(std::string message) {
  return {kInvalidParams, std::move(message), std::nullopt, 200};
}

RpcError invalid_request(std::string message) {
  return {kInvalidRequest, std::move(message), std::nullopt, 400};
}

namespace {
bool valid_id(const bj::value& id) {
  // JSON-RPC allows numbers; MCP narrows RequestId to string | integer.
  return id.is_string() || id.is_int64() || id.is_uint64();
}
}  // namespace

Rpc<Message> classify(const bj::value& body) {
  if (!body.is_object()) {
    return invalid_request(
        "Invalid Request: the body must be one JSON-RPC message (a JSON object)");
  }
  const auto& o = body.as_object();
  const auto* version = o.if_contains("jsonrpc");
  if (!version || !version->is_string() || version->as_string() != "2.0") {
    return invalid_request("Invalid Request: \"jsonrpc\" must be the string \"2.0\"");
  }
  const auto* id = o.if_contains("id");
  const auto* method = o.if_contains("method");
  Message m;
  if (!method) {
    // A response from the client (to a server request): we never send requests,
    // but the transport must accept it (202).
    const bool has_result = o.contains("result");
    const bool has_error = o.contains("error");
    if (id && (valid_id(*id) || id->is_null()) && has_result != has_error) {
      m.kind = Kind::response;
      m.id = *id;
      return m;
    }
    return invalid_request("Invalid Request: \"method\" is missing (a request needs \"method\")");
  }
  if (!method->is_string() || method->as_string().empty()) {
    return invalid_request("Invalid Request: \"method\" must be a non-empty string");
  }
  m.method = std::string(method->as_string());
  if (id) {
    if (!valid_id(*id)) {
      return invalid_request("Invalid Request: \"id\" must be a string or an integer");
    }
    m.kind = Kind::request;
    m.id = *id;
  } else {
    m.kind = Kind::notification;
  }
  if (const auto* params = o.if_contains("params")) {
    if (!params->is_object()) {
      return invalid_request("Invalid Request: \"params\" must be an object");
    }
    m.params = params->as_object();
  }
  return m;
}

bj::value echoable_id(const bj::value& body) {
  if (!body.is_object()) return nullptr;
  const auto& o = body.as_object();
  const auto* method = o.if_contains("method");
  const auto* id = o.if_contains("id");
  if (!method || !method->is_string() || !id || !valid_id(*id)) return nullptr;
  return *id;
}

bj::object error_message(const bj::value& id, const RpcError& e) {
  bj::object err{{"code", e.code}, {"message", e.message}};
  if (e.data) err["data"] = *e.data;
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(err)}};
}

bj::object result_message(const bj::value& id, bj::object result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

bj::object notification(std::string_view method, bj::object params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace ve::mcp::rpc
