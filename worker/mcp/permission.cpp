#include "worker/mcp/permission.hpp"

#include <string>

namespace ve::mcp {

Result<void> permit(const auth::Principal& principal, std::string_view scope) {
  if (principal.full_access()) return {};
  if (principal.kind == auth::Principal::Kind::oauth) {
    if (principal.has_scope(std::string(scope))) return {};
    return Error{403, "insufficient_scope",
                 "this connection's token lacks the scope '" + std::string(scope) +
                     "': reconnect the client and grant it to use this"};
  }
  return Error{403, "forbidden",
               "this token may not use the vault's tools: connect with a device master token "
               "(`apilocker mcp`) or through OAuth"};
}

}  // namespace ve::mcp
