// ve::crypto SHA-256 (FIPS 180-2 appendix B) and HMAC-SHA256 (RFC 4231) known answers.
#include <catch2/catch.hpp>
#include <string>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/sha256.hpp"

using namespace ve::crypto;

namespace {
std::string unhex(std::string_view h) {
  return hex_decode(h).value_or("<bad hex>");
}
}  // namespace

TEST_CASE("crypto/sha256: FIPS 180-2 vectors", "[crypto][sha256]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  const Digest d = sha256("abc");
  CHECK(hex_encode(d) == sha256_hex("abc"));
}

TEST_CASE("crypto/sha256: RFC 4231 HMAC-SHA256 test cases", "[crypto][hmac]") {
  // Test case 1
  CHECK(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: key shorter than the output
  CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 3
  CHECK(hex_encode(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // Test case 4
  CHECK(hex_encode(hmac_sha256(unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                               std::string(50, '\xcd'))) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 6: key larger than the block size
  CHECK(hex_encode(hmac_sha256(std::string(131, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // Test case 7: key and data larger than the block size
  CHECK(hex_encode(hmac_sha256(
            std::string(131, '\xaa'),
            "This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm.")) ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("crypto/sha256: equal_ct", "[crypto][sha256]") {
  CHECK(equal_ct("", ""));
  CHECK(equal_ct("abc", "abc"));
  CHECK_FALSE(equal_ct("abc", "abd"));
  CHECK_FALSE(equal_ct("abc", "ab"));
  CHECK_FALSE(equal_ct(std::string("\x00", 1), ""));
}
