// Route list of the vault domain (being built; see worker/api/domains.hpp).
#include "worker/api/domains.hpp"

namespace ve::vault {
std::vector<api::Route> routes() { return {}; }
}  // namespace ve::vault
