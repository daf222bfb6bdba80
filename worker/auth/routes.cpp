// Route list of the auth domain (being built; see worker/api/domains.hpp).
#include "worker/api/domains.hpp"

namespace ve::auth {
std::vector<api::Route> routes() { return {}; }
}  // namespace ve::auth
