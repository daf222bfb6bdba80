#include "worker/mcp/revision.hpp"

namespace ve::mcp {

std::string_view revision_name(Revision r) {
  switch (r) {
    case Revision::r2025_06_18:
      return "2025-06-18";
    case Revision::r2025_11_25:
      return "2025-11-25";
    case Revision::r2026_07_28:
      return "2026-07-28";
  }
  return "2025-06-18";
}

std::optional<Revision> parse_revision(std::string_view name) {
  for (auto r : {Revision::r2025_06_18, Revision::r2025_11_25, Revision::r2026_07_28}) {
    if (revision_name(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace ve::mcp
