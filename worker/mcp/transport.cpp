#include "worker/mcp/transport.hpp"

#include <cctype>
#include <string>
#include <string_view>

#include "worker/json/json.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {

http::Headers base_headers(std::string_view content_type) {
  return {{"content-type", std::string(content_type)},
          {"cache-control", "no-store"},
          {"x-content-type-options", "nosniff"}};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// "type/subtype" of a media type, lower-cased, parameters dropped.
std::string essence(std::string_view media_type) {
  return lower(trim(media_type.substr(0, media_type.find(';'))));
}

/// True when some media range in the `Accept` list covers `type`/`subtype`
/// with a non-zero quality.
bool accept_covers(std::string_view accept, std::string_view type, std::string_view subtype) {
  while (!accept.empty()) {
    auto comma = accept.find(',');
    auto item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    auto range = essence(item);
    // q=0 means "not acceptable".
    auto params = lower(item.substr(std::min(item.size(), item.find(';'))));
    if (params.find("q=0") != std::string::npos && params.find("q=0.") == std::string::npos) {
      continue;
    }
    if (range == "*/*" || range == std::string(type) + "/*" ||
        range == std::string(type) + "/" + std::string(subtype)) {
      return true;
    }
  }
  return false;
}

rpc::RpcError refusal(int status, std::string message) {
  return {rpc::kServerError, std::move(message), std::nullopt, status};
}

}  // namespace

std::optional<http::Response> check_post(const http::Request& req) {
  if (req.body.size() > kMaxBodyBytes) {
    return error_answer(nullptr, refusal(413,
                                         "Payload Too Large: an MCP request body may be at "
                                         "most 1 MiB"));
  }
  if (auto origin = req.header("origin"); origin && *origin != req.origin) {
    return error_answer(
        nullptr, refusal(403, "Forbidden: the Origin header (" + std::string(*origin) +
                                  ") is not this server's origin; MCP requests from web pages "
                                  "are accepted only from " +
                                  req.origin));
  }
  auto content_type = req.header("content-type");
  if (!content_type || essence(*content_type) != "application/json") {
    return error_answer(nullptr, refusal(415,
                                         "Unsupported Media Type: Content-Type must be "
                                         "application/json (one JSON-RPC message per POST)"));
  }
  if (auto accept = req.header("accept");
      accept && !accept_covers(*accept, "application", "json")) {
    return error_answer(nullptr,
                        refusal(406,
                                "Not Acceptable: this server answers with application/json "
                                "(and text/event-stream when a call streams "
                                "notifications); add application/json to Accept"));
  }
  return std::nullopt;
}

bool accepts_sse(const http::Request& req) {
  auto accept = req.header("accept");
  return accept && accept_covers(*accept, "text", "event-stream");
}

http::Response json_answer(int status, const bj::value& body) {
  return {status, base_headers("application/json"), json::dump(body)};
}

http::Response error_answer(const bj::value& id, const rpc::RpcError& e) {
  return json_answer(e.http_status, rpc::error_message(id, e));
}

http::Response sse_answer(const bj::array& notifications, const bj::object& response) {
  std::string body;
  for (const auto& n : notifications) {
    body += "event: message\ndata: " + json::dump(n) + "\n\n";
  }
  body += "event: message\ndata: " + json::dump(response) + "\n\n";
  return {200, base_headers("text/event-stream"), std::move(body)};
}

http::Response accepted() {
  return {202, {{"cache-control", "no-store"}}, ""};
}

http::Response method_not_allowed(const http::Request& req) {
  auto r = error_answer(
      nullptr, refusal(405, "Method Not Allowed: " + req.method +
                                " /v1/mcp is not offered (no standalone SSE stream, no sessions); "
                                "send JSON-RPC messages with POST"));
  r.headers.emplace_back("allow", "POST");
  return r;
}

}  // namespace ve::mcp
