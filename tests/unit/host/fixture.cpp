#include "tests/unit/host/fixture.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/random.hpp"

namespace ve::test {

host::HostRunner make_runner(std::string environment) {
  std::array<std::uint8_t, 32> kek{};
  if (!crypto::random_bytes(kek)) std::abort();
  std::string raw(reinterpret_cast<const char*>(kek.data()), kek.size());
  return host::HostRunner({{"ENVIRONMENT", std::move(environment)},
                           {"VAULT_KEYS", "t1:" + crypto::base64_encode(raw)}});
}

boost::json::value body_json(const http::Response& r) {
  return boost::json::parse(r.body);
}

}  // namespace ve::test
