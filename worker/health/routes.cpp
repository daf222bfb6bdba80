// Route list of the health domain: the vault health check (see
// worker/api/domains.hpp; handlers in handlers.hpp).
#include "worker/api/domains.hpp"
#include "worker/health/handlers.hpp"

namespace ve::health {

std::vector<api::Route> routes() {
  return {
      {"GET", "/v1/doctor", api::Access::user, &get_doctor},
  };
}

}  // namespace ve::health
