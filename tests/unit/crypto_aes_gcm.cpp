// ve::crypto::aes_gcm known answers: AES-256 test cases 13-16 of McGrew & Viega,
// "The Galois/Counter Mode of Operation (GCM)" (the vectors NIST's GCM
// specification and CAVP gcmEncryptExtIV256 reproduce), plus tamper checks.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "worker/crypto/aes_gcm.hpp"
#include "worker/crypto/encoding.hpp"

using namespace ve::crypto;

namespace {

std::string unhex(std::string_view h) {
  return hex_decode(h).value_or("<bad hex>");
}

template <std::size_t N>
std::array<std::uint8_t, N> arr(std::string_view hex) {
  std::array<std::uint8_t, N> a{};
  const std::string b = unhex(hex);
  REQUIRE(b.size() == N);
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

struct Vector {
  const char* name;
  const char* key;
  const char* iv;
  const char* aad;
  const char* pt;
  const char* ct;
  const char* tag;
};

const Vector kVectors[] = {
    {"TC13 empty", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"TC14 one zero block", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"TC15 four blocks", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"TC16 with AAD, partial block",
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

}  // namespace

TEST_CASE("crypto/aes_gcm: GCM spec AES-256 known answers", "[crypto][aes_gcm]") {
  for (const Vector& v : kVectors) {
    INFO(v.name);
    const auto key = arr<32>(v.key);
    const auto iv = arr<12>(v.iv);
    const std::string aad = unhex(v.aad);
    const std::string pt = unhex(v.pt);
    const std::string sealed = aes_gcm::seal(key, iv, aad, pt);
    CHECK(hex_encode(sealed) == std::string(v.ct) + v.tag);
    const auto opened = aes_gcm::open(key, iv, aad, sealed);
    REQUIRE(opened.has_value());
    CHECK(*opened == pt);
  }
}

TEST_CASE("crypto/aes_gcm: any change is refused", "[crypto][aes_gcm]") {
  const Vector& v = kVectors[3];
  const auto key = arr<32>(v.key);
  const auto iv = arr<12>(v.iv);
  const std::string aad = unhex(v.aad);
  const std::string sealed = aes_gcm::seal(key, iv, aad, unhex(v.pt));

  for (std::size_t i = 0; i < sealed.size(); ++i) {  // every ciphertext and tag byte
    std::string t = sealed;
    t[i] = char(t[i] ^ 0x01);
    CHECK_FALSE(aes_gcm::open(key, iv, aad, t).has_value());
  }
  std::string bad_aad = aad;
  bad_aad[0] = char(bad_aad[0] ^ 0x80);
  CHECK_FALSE(aes_gcm::open(key, iv, bad_aad, sealed).has_value());
  CHECK_FALSE(aes_gcm::open(key, iv, "", sealed).has_value());
  auto bad_iv = iv;
  bad_iv[11] ^= 1;
  CHECK_FALSE(aes_gcm::open(key, bad_iv, aad, sealed).has_value());
  auto bad_key = key;
  bad_key[0] ^= 1;
  CHECK_FALSE(aes_gcm::open(bad_key, iv, aad, sealed).has_value());
  CHECK_FALSE(aes_gcm::open(key, iv, aad, sealed.substr(0, sealed.size() - 1)).has_value());
  CHECK_FALSE(aes_gcm::open(key, iv, aad, sealed.substr(0, 15)).has_value());
  CHECK_FALSE(aes_gcm::open(key, iv, aad, "").has_value());
  CHECK(aes_gcm::open(key, iv, aad, sealed).has_value());
}
