// Tools, prompts and resources linked in beside the vault's. Production links
// `extension_none.cpp` (nothing); the conformance test build links the fixture
// module instead (tests/conformance/fixture/), which serves the fixed tools the
// @modelcontextprotocol/conformance scenarios call. Exactly one definition of
// extension() is linked into each binary; CMakeLists.txt chooses which.
#pragma once
#include <boost/json.hpp>
#include <string_view>
#include <vector>

#include "worker/async/task.hpp"
#include "worker/mcp/call.hpp"
#include "worker/mcp/prompt.hpp"
#include "worker/mcp/tool.hpp"
#include "worker/result.hpp"

namespace ve::mcp {

/// Reads one resource: the ReadResourceResult `contents` array for `uri`
/// (TextResourceContents / BlobResourceContents). 404-style Error when `uri`
/// is not one this reader serves (the dispatcher maps it to JSON-RPC -32002).
using ReadFn = async::Task<Result<boost::json::array>> (*)(CallCtx& ctx, std::string_view uri);

struct Resource {
  std::string_view uri;
  std::string_view name;
  std::string_view title;
  std::string_view description;
  std::string_view mime_type;
  ReadFn read;
};

/// RFC 6570 URI template (resources/templates/list); `read` gets the concrete URI.
struct ResourceTemplate {
  std::string_view uri_template;
  std::string_view name;
  std::string_view title;
  std::string_view description;
  std::string_view mime_type;
  ReadFn read;
};

struct Extension {
  std::vector<Tool> tools;
  std::vector<Prompt> prompts;
  std::vector<Resource> resources;
  std::vector<ResourceTemplate> templates;
};

/// The extension linked into this binary (empty in production).
const Extension& extension();

}  // namespace ve::mcp
