// Identity of this authorization server and protected resource, and the
// responses every OAuth endpoint shares (docs/oauth.md).
#pragma once
#include <string>
#include <string_view>

#include "worker/http/message.hpp"

namespace ve::oauth {

/// Path of the one protected resource, the MCP endpoint.
inline constexpr std::string_view kMcpPath = "/v1/mcp";

/// Our issuer identifier (RFC 8414 §2): the request's origin, e.g.
/// `https://vault.example.com`, no trailing slash.
std::string issuer(const http::Request& req);

/// The MCP resource identifier (RFC 8707 §2, RFC 9728 §1.2): `<origin>/v1/mcp`.
std::string mcp_resource(const http::Request& req);

/// URL of the resource's RFC 9728 metadata (§3.1: the well-known prefix
/// inserted before the resource's path): `<origin>/.well-known/oauth-protected-resource/v1/mcp`.
std::string resource_metadata_url(const http::Request& req);

/// A `WWW-Authenticate: Bearer` value (RFC 6750 §3, RFC 9728 §5.1):
/// `resource_metadata` always, then `scope` when not empty, then `error` and
/// `error_description` when `error` is not empty. Quotes and backslashes in the
/// values are escaped.
std::string bearer_challenge(const http::Request& req, std::string_view scope,
                             std::string_view error = {}, std::string_view description = {});

/// An RFC 6749 §5.2 error answer: `{"error": code, "error_description": text}`
/// with `Cache-Control: no-store`. `status` is 400, or 401 for invalid_client.
http::Response error_response(int status, std::string_view code, std::string_view description);

}  // namespace ve::oauth
