// Helpers for the MCP protocol-core host tests (mcp_core_*_test.cpp): JSON-RPC
// bodies, the headers each protocol revision's clients send, and a fixture
// catalog (tools, prompts, resources) served through the real POST /v1/mcp
// route via mcp::CatalogOverride.
#pragma once
#include <boost/json.hpp>
#include <string>

#include "tests/unit/host/vault_fixture.hpp"
#include "worker/mcp/catalog.hpp"

namespace ve::test::mcpcore {

inline constexpr const char* kMcpUrl = "http://127.0.0.1:8787/v1/mcp";

/// `{"jsonrpc":"2.0","id":id,"method":method,"params":params}`
boost::json::object rpc(const std::string& method, boost::json::object params = {},
                        boost::json::value id = 1);

/// params._meta for 2026-07-28 (protocolVersion, clientCapabilities, clientInfo).
boost::json::object meta_2026(const std::string& client_name = "test-client");

/// POST /v1/mcp as `user` with a raw body and exactly the given extra headers
/// (Authorization is added; nothing else).
http::Response mcp_raw(host::HostRunner& host, const VaultUser& user, const std::string& body,
                       async::Headers headers);

/// POST as a 2025 client would: Content-Type and Accept (application/json,
/// text/event-stream), and MCP-Protocol-Version `version` unless empty.
http::Response mcp_legacy(host::HostRunner& host, const VaultUser& user,
                          const boost::json::object& message,
                          const std::string& version = "2025-11-25", async::Headers extra = {});

/// POST as a 2026-07-28 client would: params._meta envelope added to `message`
/// (unless present), and the MCP-Protocol-Version, Mcp-Method and (tools/call,
/// prompts/get, resources/read) Mcp-Name headers.
http::Response mcp_modern(host::HostRunner& host, const VaultUser& user,
                          boost::json::object message, async::Headers extra = {});

/// A response header's value, or "<absent>".
std::string header_of(const http::Response& r, const std::string& name);

/// The fixture catalog: tools `echo` (input schema with required/enum/integer/
/// array fields), `touch_key` (reports key_id, progress and log notifications),
/// `write_thing` (scope vault:write, fails with 409); prompt `greet` (required
/// `who`, completion); resource `fixture://readme`, template `fixture://items/{id}`.
const mcp::Catalog& fixture_catalog();

}  // namespace ve::test::mcpcore
