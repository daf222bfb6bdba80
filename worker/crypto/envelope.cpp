#include "worker/crypto/envelope.hpp"

#include <array>

#include "worker/crypto/aes_gcm.hpp"
#include "worker/crypto/random.hpp"
#include "worker/crypto/wipe.hpp"

namespace ve::crypto::envelope {
namespace {

constexpr std::string_view kMagic = "VEB";
constexpr std::string_view kValueLabel = "vaultedge/envelope/v1/value";
constexpr std::string_view kDekLabel = "vaultedge/envelope/v1/dek";
constexpr std::size_t kWrappedDekSize = aes_gcm::kKeySize + aes_gcm::kTagSize;  // 48
constexpr std::size_t kMaxKid = 32;

using Dek = aes_gcm::Key;

// Wiped on every exit path.
struct DekGuard {
  Dek dek{};
  ~DekGuard() { secure_wipe_object(dek); }
};

void append_lp(std::string& out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  out += char((n >> 24) & 0xff);
  out += char((n >> 16) & 0xff);
  out += char((n >> 8) & 0xff);
  out += char(n & 0xff);
  out += field;
}

aes_gcm::NonceView nonce_of(std::string_view s) {
  return aes_gcm::NonceView(reinterpret_cast<const std::uint8_t*>(s.data()), aes_gcm::kNonceSize);
}

// Unwraps the DEK of `b` with `kek`. False on authentication failure.
bool unwrap_dek(const Kek& kek, const Context& ctx, const BlobView& b, Dek& out) {
  std::optional<std::string> dek =
      aes_gcm::open(kek.key, nonce_of(b.wrap_nonce), dek_aad(kek.kid, ctx), b.wrapped_dek);
  if (!dek) return false;
  bool ok = dek->size() == out.size();
  if (ok) std::copy(dek->begin(), dek->end(), out.begin());
  secure_wipe(*dek);
  return ok;
}

// header || wrap nonce || wrapped DEK || value nonce || value ciphertext.
std::string assemble(std::string_view kid, const aes_gcm::Nonce& wrap_nonce,
                     std::string_view wrapped_dek, std::string_view value_nonce,
                     std::string_view value_ct) {
  std::string blob;
  blob.reserve(5 + kid.size() + wrap_nonce.size() + wrapped_dek.size() + value_nonce.size() +
               value_ct.size());
  blob += kMagic;
  blob += char(kFormatV1);
  blob += char(kid.size());
  blob += kid;
  blob.append(reinterpret_cast<const char*>(wrap_nonce.data()), wrap_nonce.size());
  blob += wrapped_dek;
  blob += value_nonce;
  blob += value_ct;
  return blob;
}

Result failure(Error e) {
  Result r;
  r.error = e;
  return r;
}

Result success(std::string v) {
  Result r;
  r.value.emplace(std::move(v));
  return r;
}

}  // namespace

std::string_view error_message(Error e) noexcept {
  switch (e) {
    case Error::none:
      return "envelope: ok";
    case Error::rng_failure:
      return "envelope: the random source failed";
    case Error::malformed:
      return "envelope: blob is malformed or truncated";
    case Error::unsupported_format:
      return "envelope: unsupported blob format version";
    case Error::unknown_kid:
      return "envelope: blob is wrapped under a kid that is not in VAULT_KEYS";
    case Error::auth_failed:
      return "envelope: authentication failed (tampered blob, wrong context or wrong key)";
  }
  return "envelope: unknown error";
}

std::string value_aad(const Context& ctx) {
  std::string aad;
  aad.reserve(kValueLabel.size() + 12 + ctx.user_id.size() + ctx.key_id.size() +
              ctx.version.size());
  aad += kValueLabel;
  append_lp(aad, ctx.user_id);
  append_lp(aad, ctx.key_id);
  append_lp(aad, ctx.version);
  return aad;
}

std::string dek_aad(std::string_view kid, const Context& ctx) {
  std::string aad;
  aad.reserve(kDekLabel.size() + 16 + kid.size() + ctx.user_id.size() + ctx.key_id.size() +
              ctx.version.size());
  aad += kDekLabel;
  append_lp(aad, kid);
  append_lp(aad, ctx.user_id);
  append_lp(aad, ctx.key_id);
  append_lp(aad, ctx.version);
  return aad;
}

std::optional<BlobView> parse_blob(std::string_view blob, Error* error) {
  auto fail = [&](Error e) -> std::optional<BlobView> {
    if (error != nullptr) *error = e;
    return std::nullopt;
  };
  if (blob.size() < kMagic.size() + 2 || blob.substr(0, kMagic.size()) != kMagic) {
    return fail(Error::malformed);
  }
  BlobView v;
  v.format = std::uint8_t(blob[3]);
  if (v.format != kFormatV1) return fail(Error::unsupported_format);
  const std::size_t k = std::uint8_t(blob[4]);
  if (k == 0 || k > kMaxKid) return fail(Error::malformed);
  const std::size_t fixed = 5 + k + aes_gcm::kNonceSize + kWrappedDekSize + aes_gcm::kNonceSize;
  if (blob.size() < fixed + aes_gcm::kTagSize) return fail(Error::malformed);
  std::size_t off = 5;
  v.kid = blob.substr(off, k);
  if (!is_valid_kid(v.kid)) return fail(Error::malformed);
  off += k;
  v.wrap_nonce = blob.substr(off, aes_gcm::kNonceSize);
  off += aes_gcm::kNonceSize;
  v.wrapped_dek = blob.substr(off, kWrappedDekSize);
  off += kWrappedDekSize;
  v.value_nonce = blob.substr(off, aes_gcm::kNonceSize);
  off += aes_gcm::kNonceSize;
  v.value_ciphertext = blob.substr(off);
  if (error != nullptr) *error = Error::none;
  return v;
}

Result seal(const Keyring& ring, const Context& ctx, std::string_view plaintext) {
  DekGuard g;
  aes_gcm::Nonce wrap_nonce;
  aes_gcm::Nonce value_nonce;
  if (!random_bytes(g.dek) || !random_bytes(wrap_nonce) || !random_bytes(value_nonce)) {
    return failure(Error::rng_failure);
  }
  const Kek& kek = ring.active();
  const std::string value_ct = aes_gcm::seal(g.dek, value_nonce, value_aad(ctx), plaintext);
  const std::string wrapped =
      aes_gcm::seal(kek.key, wrap_nonce, dek_aad(kek.kid, ctx),
                    std::string_view(reinterpret_cast<const char*>(g.dek.data()), g.dek.size()));
  return success(assemble(
      kek.kid, wrap_nonce, wrapped,
      std::string_view(reinterpret_cast<const char*>(value_nonce.data()), value_nonce.size()),
      value_ct));
}

Result open(const Keyring& ring, const Context& ctx, std::string_view blob) {
  Error err = Error::none;
  const std::optional<BlobView> b = parse_blob(blob, &err);
  if (!b) return failure(err);
  const Kek* kek = ring.find(b->kid);
  if (kek == nullptr) return failure(Error::unknown_kid);
  DekGuard g;
  if (!unwrap_dek(*kek, ctx, *b, g.dek)) return failure(Error::auth_failed);
  std::optional<std::string> plaintext =
      aes_gcm::open(g.dek, nonce_of(b->value_nonce), value_aad(ctx), b->value_ciphertext);
  if (!plaintext) return failure(Error::auth_failed);
  Result r;
  r.value = std::move(plaintext);
  return r;
}

Result rewrap(const Keyring& ring, const Context& ctx, std::string_view blob) {
  Error err = Error::none;
  const std::optional<BlobView> b = parse_blob(blob, &err);
  if (!b) return failure(err);
  const Kek* old_kek = ring.find(b->kid);
  if (old_kek == nullptr) return failure(Error::unknown_kid);
  DekGuard g;
  if (!unwrap_dek(*old_kek, ctx, *b, g.dek)) return failure(Error::auth_failed);
  const Kek& kek = ring.active();
  if (kek.kid == b->kid) return success(std::string(blob));
  aes_gcm::Nonce wrap_nonce;
  if (!random_bytes(wrap_nonce)) return failure(Error::rng_failure);
  const std::string wrapped =
      aes_gcm::seal(kek.key, wrap_nonce, dek_aad(kek.kid, ctx),
                    std::string_view(reinterpret_cast<const char*>(g.dek.data()), g.dek.size()));
  return success(assemble(kek.kid, wrap_nonce, wrapped, b->value_nonce, b->value_ciphertext));
}

}  // namespace ve::crypto::envelope
