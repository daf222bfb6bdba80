#include "worker/crypto/random.hpp"

#include <unistd.h>  // getentropy (glibc and wasi-libc)

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/wipe.hpp"

namespace ve::crypto {

bool random_bytes(std::span<std::uint8_t> out) noexcept {
  constexpr std::size_t kMaxChunk = 256;  // getentropy() limit
  std::size_t off = 0;
  while (off < out.size()) {
    const std::size_t n = out.size() - off < kMaxChunk ? out.size() - off : kMaxChunk;
    if (getentropy(out.data() + off, n) != 0) {
      secure_wipe(out.data(), out.size());
      return false;
    }
    off += n;
  }
  return true;
}

std::string random_string(std::size_t nbytes) {
  std::string s(nbytes, '\0');
  if (!random_bytes({reinterpret_cast<std::uint8_t*>(s.data()), s.size()})) return {};
  return s;
}

std::string random_token(std::string_view prefix, std::size_t nbytes) {
  std::string raw = random_string(nbytes);
  if (raw.empty()) return {};
  std::string token(prefix);
  token += base64url_encode(raw);
  secure_wipe(raw);
  return token;
}

}  // namespace ve::crypto
