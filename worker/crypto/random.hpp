// Cryptographically secure randomness for the core.
//
// Source: getentropy(3). On the host that is the kernel CSPRNG (getrandom(2));
// on wasm32-wasi, wasi-libc implements it with the WASI `random_get` import, which
// the Worker shim backs with crypto.getRandomValues(). We never seed or run a PRNG
// of our own (docs/architecture.md, "The data path": "Never seed your own PRNG").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ve::crypto {

/// Fills `out` with random bytes. getentropy() accepts at most 256 bytes per call,
/// so larger buffers are filled in 256-byte chunks.
/// Returns false if the entropy source failed; `out` is then zeroed and must not be
/// used. An empty span succeeds trivially.
[[nodiscard]] bool random_bytes(std::span<std::uint8_t> out) noexcept;

/// Returns `nbytes` random bytes in a std::string (binary), or an empty string if the
/// entropy source failed (or nbytes == 0).
[[nodiscard]] std::string random_string(std::size_t nbytes);

/// A bearer credential: `prefix` followed by base64url (RFC 4648 §5, no padding) of
/// `nbytes` random bytes, e.g. random_token("vk_at_") ->
/// "vk_at_" + 43 characters for the default 32 bytes (256 bits).
/// docs/architecture.md requires every issued credential to carry >= 256 random bits, so keep
/// the default unless the token is not a credential.
/// Returns an empty string if the entropy source failed: callers must check
/// `.empty()` and fail the request (never issue a token without randomness).
[[nodiscard]] std::string random_token(std::string_view prefix, std::size_t nbytes = 32);

}  // namespace ve::crypto
