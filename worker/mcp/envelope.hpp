// Which protocol revision governs one inbound message, from the
// `MCP-Protocol-Version` header and, on 2026-07-28, the per-request `_meta`
// envelope and the SEP-2243 standard headers (`Mcp-Method`, `Mcp-Name`).
// Mirrors the reference TypeScript server's body-primary classification
// (@modelcontextprotocol/server 2.3.1, classifyInboundRequest +
// validateStandardRequestHeaders).
#pragma once
#include <string_view>

#include "worker/http/message.hpp"
#include "worker/mcp/jsonrpc.hpp"
#include "worker/mcp/revision.hpp"

namespace ve::mcp {

inline constexpr std::string_view kProtocolVersionKey = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view kClientCapabilitiesKey =
    "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view kClientInfoKey = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view kLogLevelKey = "io.modelcontextprotocol/logLevel";
inline constexpr std::string_view kServerInfoKey = "io.modelcontextprotocol/serverInfo";

/// The revision for `msg` (a request or a notification). Rules, first match wins:
///  - `initialize` without a valid 2026 envelope is the legacy handshake: its
///    revision is decided by the handler (any legacy placeholder is returned);
///    with a header naming 2026-07-28 or later → -32020, HTTP 400.
///  - `params._meta` carries `io.modelcontextprotocol/protocolVersion` (the claim):
///      envelope malformed (claim not a string, clientCapabilities missing or not
///      an object, clientInfo / logLevel of the wrong shape) → -32602, HTTP 400;
///      claim names a 2025 revision → handled as legacy below;
///      claim names a later revision we do not speak → -32022, HTTP 400,
///        data {supported, requested};
///      header present and different from the claim, or `Mcp-Method` different
///        from the method → -32020, HTTP 400;
///      for requests: header or `Mcp-Method` absent, or `Mcp-Name` absent or
///        different from params.name (tools/call, prompts/get) / params.uri
///        (resources/read) → -32020, HTTP 400;
///      otherwise 2026-07-28.
///  - no claim, header names 2026-07-28 or later: a request → -32602, HTTP 400
///    (the envelope is missing); a notification → 2026-07-28.
///  - legacy: header absent → 2025-06-18 (spec: assume the oldest); header naming
///    a revision we speak → it; any other header → -32000, HTTP 400.
rpc::Rpc<Revision> negotiate(const http::Request& req, const rpc::Message& msg);

}  // namespace ve::mcp
