// What this server offers: the vault's tools and prompts followed by the linked
// extension's (extension.hpp), and the extension's resources. The dispatcher
// reads everything through here, so one place decides what is listed.
#pragma once
#include <string_view>
#include <vector>

#include "worker/mcp/extension.hpp"
#include "worker/mcp/prompt.hpp"
#include "worker/mcp/tool.hpp"

namespace ve::mcp {

struct Catalog {
  std::vector<const Tool*> tools;      ///< tools/list order
  std::vector<const Prompt*> prompts;  ///< prompts/list order
  std::vector<const Resource*> resources;
  std::vector<const ResourceTemplate*> templates;

  const Tool* tool(std::string_view name) const;
  const Prompt* prompt(std::string_view name) const;
  bool has_resources() const { return !resources.empty() || !templates.empty(); }
};

/// vault_tools() + extension().tools, vault_prompts() + extension().prompts,
/// extension().resources / templates; built once.
const Catalog& catalog();

/// Test seam: while an override is installed, catalog() returns it (host tests
/// serve fixture tools through the real route). Production never installs one.
class CatalogOverride {
 public:
  explicit CatalogOverride(const Catalog& c);
  ~CatalogOverride();
  CatalogOverride(const CatalogOverride&) = delete;
  CatalogOverride& operator=(const CatalogOverride&) = delete;

 private:
  const Catalog* previous_;
};

}  // namespace ve::mcp
