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

std::string new_uuid() {
  std::array<std::uint8_t, 16> raw{};
  if (!crypto::random_bytes(raw)) std::abort();
  raw[6] = static_cast<std::uint8_t>((raw[6] & 0x0fU) | 0x40U);  // version 4
  raw[8] = static_cast<std::uint8_t>((raw[8] & 0x3fU) | 0x80U);  // variant 10
  const std::string hex = crypto::hex_encode(raw);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace ve::store
