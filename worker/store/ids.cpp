#include "worker/store/ids.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/random.hpp"

namespace ve::store {

std::string new_id(std::string_view prefix) {
  std::array<std::uint8_t, 16> raw{};
  if (!crypto::random_bytes(raw)) std::abort();  // no entropy: nothing safe to do
  return std::string(prefix) + crypto::hex_encode(raw);
}

}  // namespace ve::store
