#include "worker/config/config.hpp"

namespace ve::config {

std::optional<std::string_view> Config::var(std::string_view name) const {
  auto it = vars.find(std::string(name));
  if (it == vars.end() || it->second.empty()) return std::nullopt;
  return std::string_view(it->second);
}

Result<Config> Config::from_vars(std::map<std::string, std::string> vars) {
  Config c;
  if (auto it = vars.find("ENVIRONMENT"); it != vars.end() && !it->second.empty()) {
    c.environment = it->second;
  }
  auto keys = vars.find("VAULT_KEYS");
  if (keys == vars.end() || keys->second.empty()) {
    return Error{500, "misconfigured",
                 "VAULT_KEYS is not set: add it with `wrangler secret put VAULT_KEYS` "
                 "(locally tools/dev writes it to .dev.vars)"};
  }
  auto ring = crypto::Keyring::parse(keys->second);
  if (!ring) return Error{500, "misconfigured", "VAULT_KEYS is malformed: " + ring.message};
  c.keyring = std::move(ring.keyring);
  c.vars = std::move(vars);
  return c;
}

}  // namespace ve::config
