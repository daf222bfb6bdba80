// Worker configuration: the string vars and secrets of the Worker env
// (wrangler.toml [vars], `wrangler secret put`, .dev.vars locally), parsed
// once per isolate by `configure` (wasm/ABI.md).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "worker/crypto/keyring.hpp"
#include "worker/result.hpp"

namespace ve::config {

struct Config {
  /// `ENVIRONMENT`: "development" enables the local sign-in form and plain-http
  /// loopback destinations; anything else (default "production") disables them.
  std::string environment = "production";
  /// `VAULT_KEYS`: the KEK keyring (`kid:base64,...`, first = active). Always
  /// set in a Config made by from_vars().
  std::optional<crypto::Keyring> keyring;
  /// All string vars as given, for domain-specific settings (sign-in providers…).
  std::map<std::string, std::string> vars;

  bool development() const { return environment == "development"; }
  const crypto::Keyring& keys() const { return *keyring; }
  /// A var's value, or nullopt when unset or empty.
  std::optional<std::string_view> var(std::string_view name) const;

  /// Errors (500-class, messages name the variable, never its value): VAULT_KEYS
  /// missing or malformed.
  static Result<Config> from_vars(std::map<std::string, std::string> vars);
};

}  // namespace ve::config
