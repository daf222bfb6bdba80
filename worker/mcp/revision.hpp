// The MCP protocol revisions this server speaks (MCP specification, "Versioning":
// https://modelcontextprotocol.io/specification/<revision>/basic/lifecycle).
//   2025-06-18, 2025-11-25: the `initialize` handshake; later requests carry the
//                           `MCP-Protocol-Version` header (none → 2025-06-18 rules).
//   2026-07-28:             stateless; no handshake, every request carries the
//                           revision and client capabilities in `params._meta`,
//                           `server/discover` describes the server.
#pragma once
#include <optional>
#include <string_view>

namespace ve::mcp {

enum class Revision { r2025_06_18, r2025_11_25, r2026_07_28 };

/// "2025-06-18" … for a revision.
std::string_view revision_name(Revision r);
/// The revision named `name`; nullopt when we do not speak it.
std::optional<Revision> parse_revision(std::string_view name);
/// True for the stateless revisions (2026-07-28 and later).
inline bool is_stateless(Revision r) {
  return r == Revision::r2026_07_28;
}

}  // namespace ve::mcp
