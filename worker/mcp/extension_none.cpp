// The production extension: nothing beside the vault's own tools and prompts.
// Linked by the `core` wasm and the unit tests (CMakeLists.txt, target
// vaultedge_mcp_none); a conformance build links its fixture extension instead.
#include "worker/mcp/extension.hpp"

namespace ve::mcp {

const Extension& extension() {
  static const Extension none;
  return none;
}

}  // namespace ve::mcp
