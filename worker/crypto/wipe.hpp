// Secure erasure of secret buffers (keys, DEKs, plaintext scratch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ve::crypto {

/// Overwrites `len` bytes at `p` with zeros in a way the optimizer may not elide
/// (writes through a volatile pointer). Use it on every buffer that held key
/// material or plaintext before the buffer is freed or goes out of scope.
/// `p` may be null when `len` is 0.
void secure_wipe(void* p, std::size_t len) noexcept;

/// Wipes the whole capacity-visible contents of `s` (its current size) and then
/// clears it. The heap block itself is released by the string as usual.
void secure_wipe(std::string& s) noexcept;

/// Wipes a trivially copyable object (e.g. std::array<uint8_t, 32>, a BearSSL
/// key-schedule struct) in place.
template <typename T>
void secure_wipe_object(T& obj) noexcept {
  secure_wipe(static_cast<void*>(&obj), sizeof(T));
}

}  // namespace ve::crypto
