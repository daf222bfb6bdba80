// ve::crypto::Keyring: VAULT_KEYS parsing, lookup and error reporting.
#include <catch2/catch.hpp>
#include <string>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/keyring.hpp"

using namespace ve::crypto;

namespace {
// Obviously synthetic test keys: 32 copies of one byte.
std::string key_b64(char fill) {
  return base64_encode(std::string(32, fill));
}
std::string key_b64url(char fill) {
  return base64url_encode(std::string(32, fill));
}
}  // namespace

TEST_CASE("crypto/keyring: parses kid:base64 entries, first is active", "[crypto][keyring]") {
  const std::string spec = "k2026:" + key_b64('\x02') + ",k2025:" + key_b64('\x01');
  auto r = Keyring::parse(spec);
  REQUIRE(r);
  CHECK(r.error == KeyringError::none);
  const Keyring& ring = *r.keyring;
  CHECK(ring.size() == 2);
  CHECK(ring.active().kid == "k2026");
  CHECK(ring.active().key[0] == 0x02);
  REQUIRE(ring.find("k2025") != nullptr);
  CHECK(ring.find("k2025")->key[31] == 0x01);
  CHECK(ring.find("nope") == nullptr);
  CHECK(ring.find("") == nullptr);
  CHECK(ring.keys()[1].kid == "k2025");
}

TEST_CASE("crypto/keyring: tolerant of whitespace, padding and base64url", "[crypto][keyring]") {
  // '\xfb' makes the two alphabets differ ('+/' vs '-_').
  std::string unpadded = key_b64('\xfb');
  while (unpadded.back() == '=') unpadded.pop_back();
  const std::string spec =
      "  a_1 : " + key_b64('\xfb') + " ,\tB-2:" + key_b64url('\xfb') + ",c:" + unpadded + "\n";
  auto r = Keyring::parse(spec);
  REQUIRE(r);
  CHECK(r.keyring->size() == 3);
  CHECK(r.keyring->active().kid == "a_1");
  CHECK(r.keyring->find("B-2")->key == r.keyring->find("a_1")->key);
  CHECK(r.keyring->find("c")->key == r.keyring->find("a_1")->key);
}

TEST_CASE("crypto/keyring: parse errors", "[crypto][keyring]") {
  const std::string good = key_b64('\x07');
  struct Case {
    std::string spec;
    KeyringError error;
  };
  const Case cases[] = {
      {"", KeyringError::empty},
      {"  \n", KeyringError::empty},
      {"k1:" + good + ",", KeyringError::malformed_entry},
      {",k1:" + good, KeyringError::malformed_entry},
      {"k1" + good, KeyringError::malformed_entry},
      {":" + good, KeyringError::bad_kid},
      {"bad kid:" + good, KeyringError::bad_kid},
      {"k.1:" + good, KeyringError::bad_kid},
      {std::string(33, 'k') + ":" + good, KeyringError::bad_kid},
      {"k1:" + good + ",k1:" + key_b64('\x08'), KeyringError::duplicate_kid},
      {"k1:not*base64", KeyringError::bad_base64},
      {"k1:", KeyringError::bad_key_length},  // "" is valid base64 of 0 bytes
      {"k1:" + base64_encode(std::string(16, '\x07')), KeyringError::bad_key_length},
      {"k1:" + base64_encode(std::string(33, '\x07')), KeyringError::bad_key_length},
  };
  for (const Case& c : cases) {
    INFO("spec: " << c.spec);
    auto r = Keyring::parse(c.spec);
    CHECK_FALSE(r);
    CHECK(r.error == c.error);
    CHECK_FALSE(r.message.empty());
    CHECK(r.message.rfind("VAULT_KEYS: ", 0) == 0);
  }
  CHECK(is_valid_kid(std::string(32, 'k')));
}

TEST_CASE("crypto/keyring: error messages never carry key material", "[crypto][keyring]") {
  const std::string secretish = base64_encode(std::string(24, '\x5a'));  // wrong length
  auto r = Keyring::parse("k1:" + key_b64('\x01') + ",k2:" + secretish);
  REQUIRE_FALSE(r);
  CHECK(r.error == KeyringError::bad_key_length);
  CHECK(r.message.find(secretish) == std::string::npos);
  CHECK(r.message.find("entry 2") != std::string::npos);

  // Even a swapped "key:kid" entry or a duplicate does not echo input fragments.
  const std::string k = key_b64('\x03');
  auto swapped = Keyring::parse(k.substr(0, 32) + ":k1");
  REQUIRE_FALSE(swapped);
  CHECK(swapped.message.find(k.substr(0, 32)) == std::string::npos);
  auto dup = Keyring::parse("k1:" + k + ",k1:" + key_b64('\x04'));
  REQUIRE_FALSE(dup);
  CHECK(dup.message.find(k) == std::string::npos);
  CHECK(dup.message.find(key_b64('\x04')) == std::string::npos);
}

TEST_CASE("crypto/keyring: move keeps the keys", "[crypto][keyring]") {
  auto r = Keyring::parse("only:" + key_b64('\x09'));
  REQUIRE(r);
  Keyring moved = std::move(*r.keyring);
  CHECK(moved.size() == 1);
  CHECK(moved.active().kid == "only");
  CHECK(moved.active().key[5] == 0x09);
}
