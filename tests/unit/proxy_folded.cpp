// The folded view the proxy's scrubber searches (worker/proxy/folded.hpp):
// what each escape decodes to and how a folded range maps back to the text.
// Runs on the host and inside wasm: no host-only includes.
#include <catch2/catch.hpp>
#include <string>

#include "worker/proxy/folded.hpp"

using ve::proxy::Folded;

TEST_CASE("proxy folded: escapes decode once, letters fold", "[proxy][scrub]") {
  CHECK(Folded("AbC").bytes() == "abc");
  CHECK(Folded("%41%2f%zz%4").bytes() == "a/%zz%4");
  CHECK(Folded(R"(\u0041\/\"\\\n\x42\q)").bytes() == "a/\"\\\nb\\q");
  CHECK(Folded(R"(\ud83d\ude00)").bytes() == "\xF0\x9F\x98\x80");  // a surrogate pair
  CHECK(Folded(R"(\ud83d)").bytes() == R"(\ud83d)");               // a lone surrogate: literal
  CHECK(Folded("&#65;&#x42;&#x43&amp;&lt;&gt;&quot;&apos;&nbsp;").bytes() == "abc&<>\"'&nbsp;");
  CHECK(Folded("&#x110000;").bytes() == "&#x110000;");  // beyond Unicode: literal
  CHECK(Folded("%2541").bytes() == "%41");              // once, not recursively
  CHECK(Folded("&#233;").bytes() == "\xC3\xA9");
}

TEST_CASE("proxy folded: ranges map back to whole escapes", "[proxy][scrub]") {
  const std::string text = "ab%43de&#x46;g";
  const Folded f(text);
  REQUIRE(f.bytes() == "abcdefg");
  CHECK(f.source(0, 2) == std::pair<std::size_t, std::size_t>{0, 2});   // "ab"
  CHECK(f.source(2, 3) == std::pair<std::size_t, std::size_t>{2, 5});   // "%43"
  CHECK(f.source(1, 4) == std::pair<std::size_t, std::size_t>{1, 6});   // "b%43d"
  CHECK(f.source(5, 7) == std::pair<std::size_t, std::size_t>{7, 14});  // "&#x46;g"
  const Folded multi("x&#233;y");  // one escape, two folded bytes
  REQUIRE(multi.bytes().size() == 4);
  CHECK(multi.source(1, 2) == std::pair<std::size_t, std::size_t>{1, 7});
  CHECK(multi.source(2, 4) == std::pair<std::size_t, std::size_t>{1, 8});
}
