#include "worker/config/config.hpp"

#include "worker/crypto/random.hpp"
#include "worker/util/number.hpp"

namespace ve::config {

std::optional<std::string_view> Config::var(std::string_view name) const {
  auto it = vars.find(std::string(name));
  if (it == vars.end() || it->second.empty()) return std::nullopt;
  return std::string_view(it->second);
}

namespace {

constexpr std::int64_t kMaxSampleOneIn = 1'000'000;

Result<RequestLog> parse_request_log(std::string_view text, bool development) {
  RequestLog r;
  if (text.empty()) {
    r.mode = development ? RequestLog::Mode::errors : RequestLog::Mode::all;
    return r;
  }
  if (text == "off") {
    r.mode = RequestLog::Mode::off;
  } else if (text == "errors") {
    r.mode = RequestLog::Mode::errors;
  } else if (text == "all") {
    r.mode = RequestLog::Mode::all;
  } else if (text.substr(0, 7) == "sample:") {
    auto n = util::parse_int64(text.substr(7));
    if (!n || *n < 1 || *n > kMaxSampleOneIn) {
      return Error{500, "misconfigured",
                   "LOG_REQUESTS=sample:<N> needs N between 1 and 1000000 (one request in N is "
                   "logged, besides every failure)"};
    }
    r.mode = RequestLog::Mode::sample;
    r.one_in = static_cast<std::uint32_t>(*n);
  } else {
    return Error{500, "misconfigured",
                 "LOG_REQUESTS must be off, errors, all or sample:<N> (see wrangler.toml)"};
  }
  return r;
}

}  // namespace

bool RequestLog::wants(int status) const {
  switch (mode) {
    case Mode::off:
      return false;
    case Mode::all:
      return true;
    case Mode::errors:
      return status >= 400;
    case Mode::sample: {
      if (status >= 400 || one_in <= 1) return true;
      std::uint32_t draw = 0;
      if (!crypto::random_bytes({reinterpret_cast<std::uint8_t*>(&draw), sizeof draw})) {
        return false;
      }
      return draw % one_in == 0;
    }
  }
  return true;
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
  auto log = vars.find("LOG_REQUESTS");
  auto request_log =
      parse_request_log(log == vars.end() ? std::string_view() : log->second, c.development());
  if (!request_log.ok()) return request_log.error();
  c.request_log = request_log.value();
  c.vars = std::move(vars);
  return c;
}

}  // namespace ve::config
