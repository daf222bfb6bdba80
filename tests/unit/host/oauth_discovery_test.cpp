// Discovery (docs/oauth.md "Endpoints"): RFC 9728 protected-resource
// metadata, RFC 8414 authorization-server metadata, and the 401 challenge
// that points MCP clients at them.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/oauth_support.hpp"

using namespace ve;
using namespace ve::test;
using namespace ve::test::oauth;
namespace bj = boost::json;

namespace {

bj::object get_metadata(host::HostRunner& host, const std::string& path) {
  auto r = host.request("GET", std::string(kOrigin) + path);
  REQUIRE(r.status == 200);
  return body_json(r).as_object();
}

std::string text(const bj::object& o, std::string_view key) {
  return std::string(o.at(key).as_string());
}

}  // namespace

TEST_CASE("oauth/discovery: protected-resource metadata names the MCP resource", "[oauth][host]") {
  auto host = make_runner();
  for (const char* path :
       {"/.well-known/oauth-protected-resource/v1/mcp", "/.well-known/oauth-protected-resource"}) {
    INFO(path);
    auto m = get_metadata(host, path);
    CHECK(text(m, "resource") == kResource);
    CHECK(m.at("authorization_servers").as_array() == bj::array{kOrigin});
    CHECK(m.at("scopes_supported").as_array() ==
          bj::array{"vault:read", "vault:write", "vault:proxy"});
    CHECK(m.at("bearer_methods_supported").as_array() == bj::array{"header"});
  }
}

TEST_CASE("oauth/discovery: authorization-server metadata", "[oauth][host]") {
  auto host = make_runner();
  auto m = get_metadata(host, "/.well-known/oauth-authorization-server");
  CHECK(text(m, "issuer") == kOrigin);
  CHECK(text(m, "authorization_endpoint") == std::string(kOrigin) + "/oauth/authorize");
  CHECK(text(m, "token_endpoint") == std::string(kOrigin) + "/oauth/token");
  CHECK(text(m, "registration_endpoint") == std::string(kOrigin) + "/oauth/register");
  CHECK(text(m, "revocation_endpoint") == std::string(kOrigin) + "/oauth/revoke");
  CHECK(m.at("code_challenge_methods_supported").as_array() == bj::array{"S256"});
  CHECK(m.at("token_endpoint_auth_methods_supported").as_array() == bj::array{"none"});
  CHECK(m.at("response_types_supported").as_array() == bj::array{"code"});
  CHECK(m.at("client_id_metadata_document_supported").as_bool());
  CHECK(m.at("authorization_response_iss_parameter_supported").as_bool());
}

TEST_CASE("oauth/discovery: a 401 at the MCP endpoint points at the metadata", "[oauth][host]") {
  auto host = make_runner();
  const std::string metadata =
      "resource_metadata=\"http://127.0.0.1/.well-known/oauth-protected-resource/v1/mcp\"";
  auto bare = host.request("POST", kResource, bj::serialize(tool_call("list_keys")),
                           {{"content-type", "application/json"}});
  CHECK(bare.status == 401);
  const std::string challenge = header(bare, "www-authenticate");
  CHECK_THAT(challenge, Catch::StartsWith("Bearer "));
  CHECK_THAT(challenge, Catch::Contains(metadata));
  CHECK_THAT(challenge, Catch::Contains("scope=\"vault:read vault:write\""));
  CHECK_THAT(challenge, !Catch::Contains("error="));

  auto unknown = mcp(host, "vk_at_unknown", tool_call("list_keys"));
  CHECK(unknown.status == 401);
  CHECK_THAT(header(unknown, "www-authenticate"), Catch::Contains("error=\"invalid_token\""));
  CHECK_THAT(header(unknown, "www-authenticate"), Catch::Contains(metadata));
}
