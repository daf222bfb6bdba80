// ve::crypto encoding: hex and base64 (RFC 4648 §10 test vectors) round trips.
#include <catch2/catch.hpp>
#include <string>

#include "worker/crypto/encoding.hpp"

using namespace ve::crypto;

TEST_CASE("crypto/encoding: hex encode, decode, round trip", "[crypto][encoding]") {
  CHECK(hex_encode(std::string_view("")).empty());
  CHECK(hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  const std::array<std::uint8_t, 3> arr{0xde, 0xad, 0x01};
  CHECK(hex_encode(arr) == "dead01");

  auto d = hex_decode("0001ABff");
  REQUIRE(d.has_value());
  CHECK(*d == std::string("\x00\x01\xab\xff", 4));
  CHECK(hex_decode("")->empty());

  CHECK_FALSE(hex_decode("abc").has_value());   // odd length
  CHECK_FALSE(hex_decode("0g").has_value());    // not a hex digit
  CHECK_FALSE(hex_decode("0x00").has_value());  // no prefix
  CHECK_FALSE(hex_decode(" 00").has_value());   // no whitespace

  std::string all;
  for (int i = 0; i < 256; ++i) all += char(i);
  CHECK(hex_decode(hex_encode(all)) == all);
}

TEST_CASE("crypto/encoding: base64 RFC 4648 vectors", "[crypto][encoding]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, b64] : vectors) {
    CHECK(base64_encode(std::string_view(plain)) == b64);
    auto d = base64_decode(b64);
    REQUIRE(d.has_value());
    CHECK(*d == plain);
    // url variant: no padding, same alphabet for these inputs
    std::string unpadded(b64);
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    CHECK(base64url_encode(std::string_view(plain)) == unpadded);
    CHECK(base64url_decode(unpadded) == std::optional<std::string>(plain));
    CHECK(base64_decode(unpadded) == std::optional<std::string>(plain));  // padding optional
  }
}

TEST_CASE("crypto/encoding: base64 vs base64url alphabets", "[crypto][encoding]") {
  const std::string bytes("\xfb\xff\xbf", 3);
  CHECK(base64_encode(bytes) == "+/+/");
  CHECK(base64url_encode(bytes) == "-_-_");
  CHECK(base64_decode("+/+/") == std::optional<std::string>(bytes));
  CHECK(base64url_decode("-_-_") == std::optional<std::string>(bytes));
  CHECK_FALSE(base64_decode("-_-_").has_value());
  CHECK_FALSE(base64url_decode("+/+/").has_value());
}

TEST_CASE("crypto/encoding: base64 rejects malformed input", "[crypto][encoding]") {
  CHECK_FALSE(base64_decode("Z").has_value());      // 1 mod 4
  CHECK_FALSE(base64_decode("Zg=").has_value());    // padded but not a multiple of 4
  CHECK_FALSE(base64_decode("Zg===").has_value());  // too much padding
  CHECK_FALSE(base64_decode("Zm9v=").has_value());  // padding where none belongs
  CHECK_FALSE(base64_decode("Zm=v").has_value());   // '=' inside
  CHECK_FALSE(base64_decode("====").has_value());
  CHECK_FALSE(base64_decode("Zm9v\n").has_value());    // whitespace
  CHECK_FALSE(base64_decode("Zm9v!A==").has_value());  // outside the alphabet
  CHECK_FALSE(base64_decode("Zh==").has_value());      // non-canonical trailing bits
  CHECK_FALSE(base64url_decode("Zm9=").has_value());   // non-canonical ("fo" is Zm8)
}

TEST_CASE("crypto/encoding: base64 round trips all lengths and bytes", "[crypto][encoding]") {
  std::string data;
  for (int n = 0; n < 300; ++n) {
    CHECK(base64_decode(base64_encode(data)) == std::optional<std::string>(data));
    CHECK(base64url_decode(base64url_encode(data)) == std::optional<std::string>(data));
    data += char((n * 37 + 11) & 0xff);
  }
}
