#include "worker/mcp/catalog.hpp"

namespace ve::mcp {

namespace {
const Catalog*& override_slot() {
  static const Catalog* slot = nullptr;
  return slot;
}

Catalog build() {
  Catalog c;
  const auto& ext = extension();
  for (const auto& t : vault_tools()) c.tools.push_back(&t);
  for (const auto& t : ext.tools) c.tools.push_back(&t);
  for (const auto& p : vault_prompts()) c.prompts.push_back(&p);
  for (const auto& p : ext.prompts) c.prompts.push_back(&p);
  for (const auto& r : ext.resources) c.resources.push_back(&r);
  for (const auto& t : ext.templates) c.templates.push_back(&t);
  return c;
}
}  // namespace

const Tool* Catalog::tool(std::string_view name) const {
  for (const auto* t : tools) {
    if (t->name == name) return t;
  }
  return nullptr;
}

const Prompt* Catalog::prompt(std::string_view name) const {
  for (const auto* p : prompts) {
    if (p->name == name) return p;
  }
  return nullptr;
}

const Catalog& catalog() {
  if (const auto* o = override_slot()) return *o;
  static const Catalog built = build();
  return built;
}

CatalogOverride::CatalogOverride(const Catalog& c) : previous_(override_slot()) {
  override_slot() = &c;
}

CatalogOverride::~CatalogOverride() {
  override_slot() = previous_;
}

}  // namespace ve::mcp
