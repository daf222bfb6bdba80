// Route list of the vault domain: keys, reveal, activity, providers (see
// worker/api/domains.hpp; handlers in handlers.hpp).
#include "worker/api/domains.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::vault {

std::vector<api::Route> routes() {
  using api::Access;
  return {
      {"GET", "/v1/providers", Access::open, &list_providers},
      {"POST", "/v1/keys/reveal", Access::user, &reveal_keys},
      {"GET", "/v1/keys", Access::user, &list_keys},
      {"POST", "/v1/keys", Access::user, &create_key},
      {"GET", "/v1/keys/:id", Access::user, &get_key},
      {"DELETE", "/v1/keys/:id", Access::user, &delete_key},
      {"POST", "/v1/keys/:id/rotate", Access::user, &rotate_key},
      {"POST", "/v1/keys/:id/rename", Access::user, &rename_key},
      {"POST", "/v1/keys/:id/pause", Access::user, &pause_key},
      {"POST", "/v1/keys/:id/resume", Access::user, &resume_key},
      {"GET", "/v1/activity", Access::user, &list_activity},
  };
}

}  // namespace ve::vault
