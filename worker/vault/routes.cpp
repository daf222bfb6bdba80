// Route list of the vault domain: keys, reveal, activity, providers (see
// worker/api/domains.hpp; handlers in handlers.hpp).
#include "worker/api/domains.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::vault {

std::vector<api::Route> routes() {
  using api::Access;
  return {
      {"GET", "/v1/providers", Access::open, &list_providers},
      // Reads a scoped token may make too: each handler shows only the keys
      // the principal may use (Principal::may_use_key).
      {"POST", "/v1/keys/reveal", Access::any_bearer, &reveal_keys},
      {"GET", "/v1/keys", Access::any_bearer, &list_keys},
      {"GET", "/v1/keys/allowed", Access::any_bearer, &list_keys},
      {"GET", "/v1/keys/:id", Access::any_bearer, &get_key},
      // Everything else needs a full-access principal.
      {"POST", "/v1/keys", Access::user, &create_key},
      {"DELETE", "/v1/keys/:id", Access::user, &delete_key},
      {"POST", "/v1/keys/:id/rotate", Access::user, &rotate_key},
      {"POST", "/v1/keys/:id/rename", Access::user, &rename_key},
      {"POST", "/v1/keys/:id/pause", Access::user, &pause_key},
      {"POST", "/v1/keys/:id/resume", Access::user, &resume_key},
      {"GET", "/v1/activity", Access::user, &list_activity},
      {"GET", "/v1/activity/export", Access::user, &export_activity},
      {"GET", "/v1/activity/stats", Access::user, &activity_stats},
  };
}

}  // namespace ve::vault
