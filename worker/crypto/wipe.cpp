#include "worker/crypto/wipe.hpp"

namespace ve::crypto {

void secure_wipe(void* p, std::size_t len) noexcept {
  volatile std::uint8_t* v = static_cast<volatile std::uint8_t*>(p);
  for (std::size_t i = 0; i < len; ++i) v[i] = 0;
}

void secure_wipe(std::string& s) noexcept {
  secure_wipe(s.data(), s.size());
  s.clear();
}

}  // namespace ve::crypto
