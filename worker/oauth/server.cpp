#include "worker/oauth/server.hpp"

#include <boost/json.hpp>

#include "worker/http/reply.hpp"

namespace ve::oauth {

namespace {
/// An RFC 9110 §5.6.4 quoted-string; control and non-ASCII bytes become '?'.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out.push_back('?');
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

std::string issuer(const http::Request& req) {
  return req.origin;
}

std::string mcp_resource(const http::Request& req) {
  return req.origin + std::string(kMcpPath);
}

std::string resource_metadata_url(const http::Request& req) {
  return req.origin + "/.well-known/oauth-protected-resource" + std::string(kMcpPath);
}

std::string bearer_challenge(const http::Request& req, std::string_view scope,
                             std::string_view error, std::string_view description) {
  std::string v = "Bearer resource_metadata=" + quoted(resource_metadata_url(req));
  if (!scope.empty()) v += ", scope=" + quoted(scope);
  if (!error.empty()) v += ", error=" + quoted(error);
  if (!error.empty() && !description.empty()) v += ", error_description=" + quoted(description);
  return v;
}

http::Response error_response(int status, std::string_view code, std::string_view description) {
  boost::json::object o;
  o["error"] = code;
  o["error_description"] = description;
  return http::json(status, o);
}

}  // namespace ve::oauth
