// ve::crypto::envelope: round trip, format, tamper resistance, KEK rotation, rewrap.
#include <catch2/catch.hpp>
#include <string>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/envelope.hpp"
#include "worker/crypto/keyring.hpp"

using namespace ve::crypto;
namespace env = ve::crypto::envelope;

namespace {

std::string key_b64(char fill) {
  return base64_encode(std::string(32, fill));
}

Keyring ring_of(const std::string& spec) {
  auto r = Keyring::parse(spec);
  REQUIRE(r);
  return std::move(*r.keyring);
}

const env::Context kCtx{"user_123", "key_abc", "1"};
const std::string kPlain = "sk-test-not-a-real-secret-0000";

std::string must_seal(const Keyring& ring, const env::Context& ctx, std::string_view pt) {
  env::Result r = env::seal(ring, ctx, pt);
  REQUIRE(r);
  return *r.value;
}

}  // namespace

TEST_CASE("crypto/envelope: seal then open", "[crypto][envelope]") {
  const Keyring ring = ring_of("kA:" + key_b64('\x0a'));
  for (const std::string& pt : {std::string(), std::string("x"), kPlain, std::string(5000, 'z')}) {
    const std::string blob = must_seal(ring, kCtx, pt);
    CHECK(blob.size() == pt.size() + 93 + 2);
    env::Result o = env::open(ring, kCtx, blob);
    REQUIRE(o);
    CHECK(*o.value == pt);
  }
}

TEST_CASE("crypto/envelope: blob layout", "[crypto][envelope]") {
  const Keyring ring = ring_of("kid-7:" + key_b64('\x0b'));
  const std::string blob = must_seal(ring, kCtx, kPlain);
  CHECK(blob.substr(0, 3) == "VEB");
  CHECK(std::uint8_t(blob[3]) == env::kFormatV1);
  CHECK(std::uint8_t(blob[4]) == 5);
  CHECK(blob.substr(5, 5) == "kid-7");
  auto v = env::parse_blob(blob);
  REQUIRE(v.has_value());
  CHECK(v->kid == "kid-7");
  CHECK(v->wrap_nonce.size() == 12);
  CHECK(v->wrapped_dek.size() == 48);
  CHECK(v->value_nonce.size() == 12);
  CHECK(v->value_ciphertext.size() == kPlain.size() + 16);
  CHECK(blob.find(kPlain) == std::string::npos);

  // Fresh DEK and nonces each time: same input, different blobs.
  const std::string again = must_seal(ring, kCtx, kPlain);
  CHECK(again != blob);
  CHECK(env::parse_blob(again)->wrapped_dek != v->wrapped_dek);
}

TEST_CASE("crypto/envelope: AAD layouts are length-prefixed", "[crypto][envelope]") {
  const std::string aad = env::value_aad({"u", "ke", "1"});
  CHECK(aad == std::string("vaultedge/envelope/v1/value") + std::string("\0\0\0\1u", 5) +
                   std::string("\0\0\0\2ke", 6) + std::string("\0\0\0\0011", 5));
  // Boundaries cannot shift: ("ab","c") and ("a","bc") differ.
  CHECK(env::value_aad({"ab", "c", "1"}) != env::value_aad({"a", "bc", "1"}));
  CHECK(env::dek_aad("k", {"ab", "c", "1"}) != env::dek_aad("k", {"a", "bc", "1"}));
  CHECK(env::dek_aad("k", kCtx).rfind("vaultedge/envelope/v1/dek", 0) == 0);
}

TEST_CASE("crypto/envelope: wrong context is refused", "[crypto][envelope]") {
  const Keyring ring = ring_of("kA:" + key_b64('\x0a'));
  const std::string blob = must_seal(ring, kCtx, kPlain);
  const env::Context others[] = {
      {"user_124", "key_abc", "1"},
      {"user_123", "key_abd", "1"},
      {"user_123", "key_abc", "2"},
      {"user_123key_abc", "", "1"},
      {"", "", ""},
  };
  for (const auto& c : others) {
    env::Result o = env::open(ring, c, blob);
    CHECK_FALSE(o);
    CHECK(o.error == env::Error::auth_failed);
  }
}

TEST_CASE("crypto/envelope: tampering anywhere is refused, never garbage", "[crypto][envelope]") {
  const Keyring ring = ring_of("kA:" + key_b64('\x0a') + ",kB:" + key_b64('\x0b'));
  const std::string blob = must_seal(ring, kCtx, kPlain);
  const auto v = *env::parse_blob(blob);
  const std::size_t wrap_off = 5 + v.kid.size();
  const std::size_t dek_off = wrap_off + 12;
  const std::size_t vnonce_off = dek_off + 48;
  const std::size_t ct_off = vnonce_off + 12;

  SECTION("every single-bit flip of every byte") {
    for (std::size_t i = 0; i < blob.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string t = blob;
        t[i] = char(t[i] ^ (1 << bit));
        env::Result o = env::open(ring, kCtx, t);
        if (o) {
          FAIL("tampered blob opened: byte " << i << " bit " << bit);
        }
        CHECK_FALSE(o.value.has_value());
        CHECK(o.error != env::Error::none);
      }
    }
  }
  SECTION("specific fields map to specific errors") {
    auto flip = [&](std::size_t i) {
      std::string t = blob;
      t[i] = char(t[i] ^ 0x01);
      return env::open(ring, kCtx, t).error;
    };
    CHECK(flip(0) == env::Error::malformed);                  // magic
    CHECK(flip(3) == env::Error::unsupported_format);         // format version
    CHECK(flip(4) != env::Error::none);                       // kid length
    CHECK(flip(5) == env::Error::unknown_kid);                // kid "kA" -> "jA"
    CHECK(flip(wrap_off) == env::Error::auth_failed);         // wrap nonce
    CHECK(flip(dek_off) == env::Error::auth_failed);          // wrapped DEK
    CHECK(flip(dek_off + 40) == env::Error::auth_failed);     // wrapped DEK tag
    CHECK(flip(vnonce_off) == env::Error::auth_failed);       // value nonce
    CHECK(flip(ct_off) == env::Error::auth_failed);           // value ciphertext
    CHECK(flip(blob.size() - 1) == env::Error::auth_failed);  // value tag
  }
  SECTION("swapping the kid to another valid kid") {
    std::string t = blob;
    t[6] = 'B';  // "kA" -> "kB": a key that exists, but the wrong one
    env::Result o = env::open(ring, kCtx, t);
    CHECK_FALSE(o);
    CHECK(o.error == env::Error::auth_failed);
  }
  SECTION("truncation and garbage") {
    for (std::size_t n = 0; n < blob.size(); ++n) {
      CHECK_FALSE(env::open(ring, kCtx, blob.substr(0, n)));
    }
    CHECK_FALSE(env::open(ring, kCtx, blob + "x"));
    CHECK(env::open(ring, kCtx, "").error == env::Error::malformed);
    CHECK(env::open(ring, kCtx, std::string(200, '\0')).error == env::Error::malformed);
  }
  SECTION("splicing the value of one blob into another") {
    const std::string other = must_seal(ring, kCtx, "another value, same context");
    const auto ov = *env::parse_blob(other);
    std::string t =
        blob.substr(0, vnonce_off) + std::string(ov.value_nonce) + std::string(ov.value_ciphertext);
    CHECK(env::open(ring, kCtx, t).error == env::Error::auth_failed);
  }
}

TEST_CASE("crypto/envelope: KEK rotation and rewrap", "[crypto][envelope]") {
  const std::string old_spec = "k2025:" + key_b64('\x25');
  const Keyring old_ring = ring_of(old_spec);
  const std::string old_blob = must_seal(old_ring, kCtx, kPlain);
  CHECK(env::parse_blob(old_blob)->kid == "k2025");

  // A new kid is prepended: it becomes active, the old one still unwraps.
  const Keyring ring = ring_of("k2026:" + key_b64('\x26') + "," + old_spec);
  env::Result o = env::open(ring, kCtx, old_blob);
  REQUIRE(o);
  CHECK(*o.value == kPlain);

  // New seals use the new active kid.
  const std::string new_blob = must_seal(ring, kCtx, kPlain);
  CHECK(env::parse_blob(new_blob)->kid == "k2026");
  CHECK(env::open(old_ring, kCtx, new_blob).error == env::Error::unknown_kid);

  // Rewrap moves the old blob to the new kid; value nonce and ciphertext unchanged.
  env::Result rw = env::rewrap(ring, kCtx, old_blob);
  REQUIRE(rw);
  const std::string& moved = *rw.value;
  const auto before = *env::parse_blob(old_blob);
  const auto after = *env::parse_blob(moved);
  CHECK(after.kid == "k2026");
  CHECK(after.value_nonce == before.value_nonce);
  CHECK(after.value_ciphertext == before.value_ciphertext);
  CHECK(after.wrapped_dek != before.wrapped_dek);
  CHECK(after.wrap_nonce != before.wrap_nonce);
  // The last (12 + n + 16) bytes are the same bytes.
  const std::size_t tail = 12 + kPlain.size() + 16;
  CHECK(moved.substr(moved.size() - tail) == old_blob.substr(old_blob.size() - tail));

  env::Result o2 = env::open(ring, kCtx, moved);
  REQUIRE(o2);
  CHECK(*o2.value == kPlain);

  // Once the old kid is dropped, only the rewrapped blob opens.
  const Keyring new_only = ring_of("k2026:" + key_b64('\x26'));
  CHECK(env::open(new_only, kCtx, old_blob).error == env::Error::unknown_kid);
  CHECK(env::open(new_only, kCtx, moved));

  // Rewrap of a blob already under the active kid is a verified no-op.
  env::Result same = env::rewrap(ring, kCtx, moved);
  REQUIRE(same);
  CHECK(*same.value == moved);

  // Rewrap authenticates: wrong context, tampered DEK or unknown kid are refused.
  CHECK(env::rewrap(ring, {"user_999", "key_abc", "1"}, old_blob).error == env::Error::auth_failed);
  std::string t = old_blob;
  t[5 + 5 + 12] ^= 1;  // first byte of the wrapped DEK (kid "k2025" is 5 bytes)
  CHECK(env::rewrap(ring, kCtx, t).error == env::Error::auth_failed);
  CHECK(env::rewrap(new_only, kCtx, old_blob).error == env::Error::unknown_kid);
}

TEST_CASE("crypto/envelope: same kid, different key is an auth failure", "[crypto][envelope]") {
  const Keyring a = ring_of("k:" + key_b64('\x01'));
  const Keyring b = ring_of("k:" + key_b64('\x02'));
  const std::string blob = must_seal(a, kCtx, kPlain);
  CHECK(env::open(b, kCtx, blob).error == env::Error::auth_failed);
}

TEST_CASE("crypto/envelope: error messages are fixed strings", "[crypto][envelope]") {
  for (auto e :
       {env::Error::none, env::Error::rng_failure, env::Error::malformed,
        env::Error::unsupported_format, env::Error::unknown_kid, env::Error::auth_failed}) {
    CHECK(env::error_message(e).rfind("envelope: ", 0) == 0);
  }
}
