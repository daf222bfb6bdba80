// Worker configuration: the string vars and secrets of the Worker env
// (wrangler.toml [vars], `wrangler secret put`, .dev.vars locally), parsed
// once per isolate by `configure` (wasm/ABI.md).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "worker/crypto/keyring.hpp"
#include "worker/result.hpp"

namespace ve::config {

/// `LOG_REQUESTS`: which requests get the structured log line (one JSON object:
/// route, status, latency, principal kind, storage round trips; never a secret
/// or a body). Under `wrangler dev` every console line is forwarded out of
/// workerd and costs about half of a cheap route's throughput, so local
/// development logs only failures by default; production (Workers Logs) logs
/// every request. docs/architecture.md "The request log", docs/bench.md.
struct RequestLog {
  enum class Mode {
    off,     ///< "off": no line (the shim still logs its own failures)
    errors,  ///< "errors": status >= 400 only (default when ENVIRONMENT=development)
    sample,  ///< "sample:N": every failure, and one in N of the other requests at random
    all,     ///< "all": every request (default otherwise)
  };
  Mode mode = Mode::all;
  std::uint32_t one_in = 1;  ///< sample: N, 1..1000000

  /// Whether a request that ended with `status` is logged (sample draws one
  /// random number per successful request).
  bool wants(int status) const;
};

struct Config {
  /// `ENVIRONMENT`: "development" enables the local sign-in form and plain-http
  /// loopback destinations; anything else (default "production") disables them.
  std::string environment = "production";
  /// `VAULT_KEYS`: the KEK keyring (`kid:base64,...`, first = active). Always
  /// set in a Config made by from_vars().
  std::optional<crypto::Keyring> keyring;
  /// `LOG_REQUESTS` as parsed (see RequestLog).
  RequestLog request_log;
  /// All string vars as given, for domain-specific settings (sign-in providers…).
  std::map<std::string, std::string> vars;

  bool development() const { return environment == "development"; }
  const crypto::Keyring& keys() const { return *keyring; }
  /// A var's value, or nullopt when unset or empty.
  std::optional<std::string_view> var(std::string_view name) const;

  /// Errors (500-class, messages name the variable, never its value): VAULT_KEYS
  /// missing or malformed; LOG_REQUESTS not one of off, errors, all, sample:<N>.
  static Result<Config> from_vars(std::map<std::string, std::string> vars);
};

}  // namespace ve::config
