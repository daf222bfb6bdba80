// Cross-origin requests (docs/oauth.md "Cross-origin requests"): the OAuth
// endpoints a browser-based MCP client calls answer CORS preflights and carry
// `Access-Control-Allow-Origin: *`; nothing else does.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;

namespace {

constexpr const char* kPage = "http://localhost:6274";  // the MCP Inspector's web UI

http::Response preflight(host::HostRunner& host, const std::string& path, const char* method) {
  return host.request("OPTIONS", std::string(kOrigin) + path, "",
                      {{"origin", kPage},
                       {"access-control-request-method", method},
                       {"access-control-request-headers", "content-type,mcp-protocol-version"}});
}

}  // namespace

TEST_CASE("oauth/cors: preflights of the OAuth endpoints are answered", "[oauth][host]") {
  auto host = make_runner();
  const std::vector<std::pair<std::string, const char*>> endpoints{
      {"/.well-known/oauth-protected-resource/v1/mcp", "GET"},
      {"/.well-known/oauth-protected-resource", "GET"},
      {"/.well-known/oauth-authorization-server", "GET"},
      {"/oauth/register", "POST"},
      {"/oauth/token", "POST"},
      {"/oauth/revoke", "POST"}};
  for (const auto& [path, method] : endpoints) {
    INFO(path);
    auto r = preflight(host, path, method);
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    CHECK(header(r, "access-control-allow-origin") == "*");
    CHECK(header(r, "access-control-allow-methods") == method);
    const std::string allowed = header(r, "access-control-allow-headers");
    CHECK(allowed.find("Content-Type") != std::string::npos);
    CHECK(allowed.find("MCP-Protocol-Version") != std::string::npos);
    CHECK(header(r, "access-control-allow-credentials").empty());
    CHECK(std::stoi(header(r, "access-control-max-age")) > 0);
  }
}

TEST_CASE("oauth/cors: the answers of the OAuth endpoints are readable from any origin",
          "[oauth][host]") {
  auto host = make_runner();
  auto metadata =
      host.request("GET", std::string(kOrigin) + "/.well-known/oauth-authorization-server", "",
                   {{"origin", kPage}});
  CHECK(metadata.status == 200);
  CHECK(header(metadata, "access-control-allow-origin") == "*");
  // Errors too: a client must be able to read why it was refused.
  auto bad = token_request(host, {{"grant_type", "refresh_token"}, {"refresh_token", "vk_rt_x"}});
  CHECK(bad.status == 400);
  CHECK(header(bad, "access-control-allow-origin") == "*");
  CHECK(header(bad, "access-control-expose-headers").find("Retry-After") != std::string::npos);
  auto registered = register_raw(
      host, {{"client_name", "Web"}, {"redirect_uris", boost::json::array{kRedirect}}});
  CHECK(registered.status == 201);
  CHECK(header(registered, "access-control-allow-origin") == "*");
}

TEST_CASE("oauth/cors: the vault, the MCP endpoint and the consent page allow no other origin",
          "[oauth][host]") {
  auto host = make_runner();
  for (const auto& [path, method] :
       std::vector<std::pair<std::string, const char*>>{{"/v1/keys", "GET"},
                                                        {"/v1/mcp", "POST"},
                                                        {"/oauth/authorize", "GET"},
                                                        {"/v1/oauth/grants", "GET"},
                                                        {"/v1/tokens", "POST"}}) {
    INFO(path);
    auto pre = preflight(host, path, method);
    CHECK(pre.status >= 400);  // 405, or 401 where every method needs a token first (/v1/mcp)
    CHECK(pre.status < 500);
    CHECK(header(pre, "access-control-allow-origin").empty());
    auto plain = host.request(method, std::string(kOrigin) + path, "", {{"origin", kPage}});
    CHECK(header(plain, "access-control-allow-origin").empty());
  }
}
