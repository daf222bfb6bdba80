// ve::crypto random_bytes / random_token and keyed fingerprints.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/fingerprint.hpp"
#include "worker/crypto/keyring.hpp"
#include "worker/crypto/random.hpp"
#include "worker/crypto/sha256.hpp"

using namespace ve::crypto;

TEST_CASE("crypto/random: random_bytes fills buffers of any size", "[crypto][random]") {
  std::array<std::uint8_t, 0> none{};
  CHECK(random_bytes(none));
  std::string big(1000, '\0');  // > 256: several getentropy() calls
  REQUIRE(random_bytes({reinterpret_cast<std::uint8_t*>(big.data()), big.size()}));
  // 1000 zero bytes from a working CSPRNG: probability 2^-8000.
  CHECK(big != std::string(1000, '\0'));
  // The tail past the first 256-byte chunk is filled too.
  CHECK(big.substr(744) != std::string(256, '\0'));
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) seen.insert(random_string(16));
  CHECK(seen.size() == 64);
}

TEST_CASE("crypto/random: random_token shape", "[crypto][random]") {
  const std::string t = random_token("vk_at_");
  CHECK(t.rfind("vk_at_", 0) == 0);
  const std::string body = t.substr(6);
  CHECK(body.size() == 43);  // 32 bytes, base64url without padding
  auto raw = base64url_decode(body);
  REQUIRE(raw.has_value());
  CHECK(raw->size() == 32);
  CHECK(
      body.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  CHECK(random_token("x_", 48).size() == 2 + 64);
  CHECK(random_token("vk_master_") != random_token("vk_master_"));
}

TEST_CASE("crypto/fingerprint: keyed, deterministic, hex", "[crypto][fingerprint]") {
  auto r1 = Keyring::parse("f1:" + base64_encode(std::string(32, '\x31')));
  auto r2 = Keyring::parse("f2:" + base64_encode(std::string(32, '\x32')) +
                           ",f1:" + base64_encode(std::string(32, '\x31')));
  REQUIRE(r1);
  REQUIRE(r2);
  const std::string value = "sk-test-not-a-real-secret";

  const Fingerprint a = fingerprint(*r1.keyring, value);
  CHECK(a.kid == "f1");
  CHECK(a.hex.size() == 64);
  CHECK(a.hex == fingerprint(*r1.keyring, value).hex);        // deterministic
  CHECK(a.hex != sha256_hex(value));                          // not a plain hash
  CHECK(a.hex != fingerprint(*r1.keyring, value + "x").hex);  // value-dependent

  // Definition: HMAC(HMAC(kek, label), value).
  const auto fkey = hmac_sha256(std::string(32, '\x31'), kFingerprintKeyLabel);
  CHECK(derive_fingerprint_key(r1.keyring->active()) == fkey);
  CHECK(a.hex == fingerprint_hex(fkey, value));
  CHECK(a.hex == hex_encode(hmac_sha256(
                     std::string_view(reinterpret_cast<const char*>(fkey.data()), 32), value)));
  // The fingerprint key is not the KEK itself.
  CHECK(a.hex != fingerprint_hex(r1.keyring->active().key, value));

  // After rotation the active kid changes the fingerprint; the old one still matches
  // when recomputed under its recorded kid.
  const Fingerprint b = fingerprint(*r2.keyring, value);
  CHECK(b.kid == "f2");
  CHECK(b.hex != a.hex);
  CHECK(fingerprint_hex_for_kid(*r2.keyring, a.kid, value) == std::optional<std::string>(a.hex));
  CHECK_FALSE(fingerprint_hex_for_kid(*r1.keyring, "f2", value).has_value());
}
