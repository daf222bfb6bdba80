#include "worker/mcp/tools/rest_call.hpp"

#include <array>
#include <utility>

#include "worker/crypto/wipe.hpp"
#include "worker/http/message.hpp"
#include "worker/json/json.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

/// Request headers not passed on: the caller's credentials (the principal is
/// handed over already authenticated) and the body framing of the MCP request.
bool dropped_header(std::string_view name) {
  return name == "authorization" || name == "cookie" || name == "content-length" ||
         name == "content-type";
}

/// Fills `path` from the route pattern and its params (for logs only: the
/// handler reads ctx.params).
std::string path_of(std::string_view pattern, const std::vector<std::string>& params) {
  std::string out;
  std::size_t next = 0;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == ':') {
      const std::size_t end = pattern.find('/', i);
      out += next < params.size() ? http::url_encode(params[next]) : std::string();
      ++next;
      i = end == std::string_view::npos ? pattern.size() : end;
    } else {
      out.push_back(pattern[i]);
      ++i;
    }
  }
  return out;
}

/// The wipe-on-exit owner of a string that may hold a secret.
struct Wiped {
  std::string& s;
  ~Wiped() { crypto::secure_wipe(s); }
};

Error error_from(const http::Response& r) {
  Error e{r.status, "error", "the operation failed with HTTP status " + std::to_string(r.status)};
  boost::system::error_code ec;
  bj::value v = bj::parse(r.body, ec);
  if (ec || !v.is_object()) return e;
  const auto& o = v.as_object();
  if (const auto* m = o.if_contains("error")) {
    if (m->is_string()) {
      e.message = std::string(m->as_string());
    } else if (m->is_object()) {  // {"error": {"code", "message"}} also reads
      if (const auto* mm = m->as_object().if_contains("message"); mm && mm->is_string()) {
        e.message = std::string(mm->as_string());
      }
    }
  }
  if (const auto* c = o.if_contains("code"); c && c->is_string())
    e.code = std::string(c->as_string());
  e.message = mcp_wording(std::move(e.message));
  return e;
}

}  // namespace

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  std::size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    s.replace(at, from.size(), to);
    at += to.size();
  }
  return s;
}

std::string mcp_wording(std::string message) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kRewrites = {{
      {"run `apilocker list` to see your keys", "call list_keys to see your keys' names and ids"},
      {"run `apilocker devices list`", "call list_devices to see your devices' ids"},
      {"see GET /v1/providers for the catalog", "call list_providers for the catalog"},
      {"query 'limit'", "argument 'limit'"},
  }};
  for (const auto& [from, to] : kRewrites) message = replace_all(std::move(message), from, to);
  return message;
}

ToolResult failed(const Error& e) {
  return ToolResult::failure(e.message, e.status);
}

async::Task<Result<bj::object>> rest_call(CallCtx& ctx, RestCall call) {
  const http::Request& outer = ctx.api.req;
  http::Request req;
  req.method = std::string(call.method);
  req.origin = outer.origin;
  req.path = path_of(call.route, call.params);
  req.url = outer.origin + req.path;
  req.query = std::move(call.query);
  for (const auto& [name, value] : outer.headers) {
    if (!dropped_header(name)) req.headers.emplace_back(name, value);
  }
  req.headers.emplace_back("content-type", "application/json");
  if (call.body) {
    req.body = bj::serialize(*call.body);
    bj::value body(std::move(*call.body));
    json::wipe(body);
  }
  req.client_ip = outer.client_ip;
  req.country = outer.country;
  Wiped request_body{req.body};

  auth::Principal principal = ctx.api.principal;
  if (!ctx.client.empty()) principal.client = ctx.client;
  api::Ctx inner{ctx.api.config,         ctx.api.io,         req,
                 std::move(call.params), ctx.api.started_ms, std::move(principal),
                 std::string(call.route)};
  http::Response response = co_await call.handler(inner);
  Wiped response_body{response.body};

  if (response.status >= 400) co_return error_from(response);
  boost::system::error_code ec;
  bj::value v = bj::parse(response.body, ec);
  if (ec || !v.is_object()) {
    co_return Error{500, "internal", "the vault returned an unreadable answer; retry later"};
  }
  co_return std::move(v.as_object());
}

}  // namespace ve::mcp::tools
