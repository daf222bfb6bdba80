#include "worker/crypto/keyring.hpp"

#include <algorithm>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/wipe.hpp"

namespace ve::crypto {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

KeyringParseResult fail(KeyringError e, std::string message) {
  KeyringParseResult r;
  r.error = e;
  r.message = "VAULT_KEYS: " + std::move(message);
  return r;
}

}  // namespace

bool is_valid_kid(std::string_view kid) noexcept {
  if (kid.empty() || kid.size() > 32) return false;
  return std::all_of(kid.begin(), kid.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

KeyringParseResult Keyring::parse(std::string_view vault_keys) {
  const std::string_view spec = trim(vault_keys);
  if (spec.empty())
    return fail(KeyringError::empty, "empty; expected kid:base64key[,kid:base64key...]");

  Keyring ring;
  // Reserve up front so the vector never reallocates: a reallocation would leave
  // copies of key bytes in freed memory.
  ring.keys_.reserve(std::size_t(std::count(spec.begin(), spec.end(), ',')) + 1);

  std::size_t pos = 0;
  std::size_t index = 0;
  while (true) {
    ++index;
    const std::size_t comma = spec.find(',', pos);
    const std::string_view entry = trim(
        spec.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    const std::string where = "entry " + std::to_string(index);
    if (entry.empty()) return fail(KeyringError::malformed_entry, where + " is empty");
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      return fail(KeyringError::malformed_entry, where + " has no ':' between kid and key");
    }
    const std::string_view kid = trim(entry.substr(0, colon));
    const std::string_view key64 = trim(entry.substr(colon + 1));
    if (!is_valid_kid(kid)) {
      return fail(KeyringError::bad_kid, where + ": kid must be 1-32 characters of [A-Za-z0-9_-]");
    }
    for (std::size_t i = 0; i < ring.keys_.size(); ++i) {
      if (ring.keys_[i].kid == kid) {
        return fail(KeyringError::duplicate_kid,
                    where + " repeats the kid of entry " + std::to_string(i + 1));
      }
    }
    std::optional<std::string> raw = base64_decode(key64);
    if (!raw) raw = base64url_decode(key64);
    if (!raw) return fail(KeyringError::bad_base64, where + ": key is not valid base64");
    if (raw->size() != 32) {
      const std::size_t got = raw->size();
      secure_wipe(*raw);
      return fail(KeyringError::bad_key_length,
                  where + ": key must decode to exactly 32 bytes, got " + std::to_string(got));
    }
    Kek& k = ring.keys_.emplace_back();
    k.kid = std::string(kid);
    std::copy(raw->begin(), raw->end(), k.key.begin());
    secure_wipe(*raw);

    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }

  KeyringParseResult r;
  r.keyring.emplace(std::move(ring));
  return r;
}

Keyring& Keyring::operator=(Keyring&& other) noexcept {
  if (this != &other) {
    wipe();
    keys_ = std::move(other.keys_);
  }
  return *this;
}

Keyring::~Keyring() {
  wipe();
}

void Keyring::wipe() noexcept {
  for (Kek& k : keys_) secure_wipe_object(k.key);
}

const Kek* Keyring::find(std::string_view kid) const noexcept {
  for (const Kek& k : keys_) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

}  // namespace ve::crypto
