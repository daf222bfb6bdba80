// Redaction of a key from a provider's response (docs/proxy.md step 6):
// every encoded form, overlapping and adjacent occurrences, regex- and
// JSON-special characters, and the count of markers.
// Runs on the host and inside wasm: no host-only includes.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/proxy_support.hpp"
#include "worker/crypto/encoding.hpp"
#include "worker/http/message.hpp"
#include "worker/proxy/scrub.hpp"

using namespace ve;
using namespace ve::proxy;
using ve::test::rule;

namespace {

const vault::Auth kBearer = rule(vault::AuthKind::bearer);

/// scrub() of `text` for `secret`; returns the text, count in `n`.
std::string scrubbed(std::string text, std::string_view secret, std::size_t& n,
                     const vault::Auth& auth = kBearer) {
  auto forms = secret_forms(secret, auth);
  n = scrub(text, forms);
  wipe_forms(forms);
  return text;
}

std::string json_inner(std::string_view s) {
  std::string j = boost::json::serialize(boost::json::string_view(s.data(), s.size()));
  return j.substr(1, j.size() - 2);
}

}  // namespace

TEST_CASE("proxy scrub: raw occurrences, adjacent and overlapping", "[proxy][scrub]") {
  std::size_t n = 0;
  CHECK(scrubbed("key=sk-abc123XYZ!", "sk-abc123XYZ", n) == "key=[REDACTED]!");
  CHECK(n == 1);
  CHECK(scrubbed("sk-abc123XYZsk-abc123XYZ", "sk-abc123XYZ", n) == "[REDACTED][REDACTED]");
  CHECK(n == 2);
  CHECK(scrubbed("nothing here", "sk-abc123XYZ", n) == "nothing here");
  CHECK(n == 0);
  // Overlapping occurrences of a periodic value become one marker and leave nothing.
  CHECK(scrubbed("xabababababy", "ababab", n) == "x[REDACTED]y");
  CHECK(n == 1);
  CHECK(scrubbed("aaaaa", "aaa", n) == "[REDACTED]");
  CHECK(n == 1);
  CHECK(scrubbed("", "secret-value", n).empty());
  CHECK(n == 0);
}

TEST_CASE("proxy scrub: special characters are matched literally", "[proxy][scrub]") {
  std::size_t n = 0;
  const std::string secret = R"(a.b*c+d?e(f)[g]{h}|i^j$k\l"m/n)";
  CHECK(scrubbed("<" + secret + ">", secret, n) == "<[REDACTED]>");
  CHECK(n == 1);
  CHECK(scrubbed("aXbYcZd", secret, n) == "aXbYcZd");  // no regex semantics
  // JSON-escaped (quote, backslash, and "\/" as some serializers write it).
  const std::string escaped = json_inner(secret);
  CHECK(escaped != secret);
  CHECK(scrubbed(R"({"echo":")" + escaped + R"("})", secret, n) == R"({"echo":"[REDACTED]"})");
  CHECK(n == 1);
  std::string slashed = escaped;
  slashed.replace(slashed.find('/'), 1, "\\/");
  CHECK(scrubbed(R"({"e":")" + slashed + "\"}", secret, n) == R"({"e":"[REDACTED]"})");
  // Control characters in a value: JSON \n and \u0001 forms.
  const std::string ctl = std::string("line1\nline2\x01tail");
  CHECK(scrubbed("[" + json_inner(ctl) + "]", ctl, n) == "[[REDACTED]]");
}

TEST_CASE("proxy scrub: every encoded form", "[proxy][scrub]") {
  const std::string secret = "sk-live_0123456789abcdef+/=~? end";
  std::size_t n = 0;
  const std::string b64 = crypto::base64_encode(secret);
  std::string b64_nopad = b64;
  while (b64_nopad.back() == '=') b64_nopad.pop_back();
  const std::string url = crypto::base64url_encode(secret);
  std::string url_pad = url;
  while (url_pad.size() % 4 != 0) url_pad.push_back('=');
  const std::string pct = http::url_encode(secret);
  std::string pct_lower = pct;
  for (std::size_t i = 0; i + 2 < pct_lower.size(); ++i) {
    if (pct_lower[i] == '%') {
      for (std::size_t k = i + 1; k <= i + 2; ++k)
        if (pct_lower[k] >= 'A' && pct_lower[k] <= 'F') pct_lower[k] += 32;
    }
  }
  std::string plus = pct;
  plus.replace(plus.find("%20"), 3, "+");
  for (const std::string& form :
       {secret, b64, b64_nopad, url, url_pad, pct, pct_lower, plus, json_inner(secret)}) {
    INFO("form #" << form.size());
    const std::string out = scrubbed("<" + form + ">", secret, n);
    CHECK(out == "<[REDACTED]>");
    CHECK(n == 1);
  }
  // base64 of the value inside a longer encoded text, at each byte offset.
  for (const std::string& prefix : {std::string(""), std::string("u"), std::string("us"),
                                    std::string("Bearer "), std::string("user:")}) {
    INFO("prefix length " << prefix.size());
    for (const std::string& enc : {crypto::base64_encode(prefix + secret + "!!"),
                                   crypto::base64url_encode(prefix + secret + "?")}) {
      const std::string out = scrubbed(enc, secret, n);
      CHECK(n >= 1);
      CHECK(out.find("[REDACTED]") != std::string::npos);
      // What is left of the encoding holds at most 3 characters next to a marker.
      const auto at = out.find("[REDACTED]");
      CHECK(at <= 3 + prefix.size() * 4 / 3 + 1);
    }
  }
}

TEST_CASE("proxy scrub: basic auth credentials", "[proxy][scrub]") {
  std::size_t n = 0;
  const vault::Auth with_user = rule(vault::AuthKind::basic, "", "", "", "api");
  const std::string secret = "key-0123456789";
  const std::string sent = crypto::base64_encode("api:" + secret);
  CHECK(scrubbed("Authorization: Basic " + sent, secret, n, with_user) ==
        "Authorization: [REDACTED]");
  CHECK(n == 1);
  const vault::Auth no_user = rule(vault::AuthKind::basic);
  const std::string pair = "AC0123:authtoken99";
  CHECK(scrubbed("echo " + crypto::base64_encode(pair), pair, n, no_user) == "echo [REDACTED]");
  CHECK(n == 1);
}

TEST_CASE("proxy scrub: headers and a marker-edge re-occurrence", "[proxy][scrub]") {
  const std::string secret = "tok-SECRET-42";
  auto forms = secret_forms(secret, kBearer);
  async::Headers headers = {{"location", "https://x/cb?token=" + secret},
                            {"x-echo", "Bearer " + secret},
                            {"x-b64", crypto::base64_encode(secret)},
                            {"content-type", "text/plain"},
                            {"x-" + secret, "named after the key"}};
  CHECK(scrub_headers(headers, forms) == 4);
  REQUIRE(headers.size() == 4);
  CHECK(headers[0].second == "https://x/cb?token=[REDACTED]");
  CHECK(headers[1].second == "[REDACTED]");  // the injected credential as a whole
  CHECK(headers[2].second == "[REDACTED]");
  CHECK(headers[3].second == "text/plain");
  wipe_forms(forms);
  CHECK(forms.empty());

  // A value that re-forms across the marker's edge is scrubbed again.
  std::size_t n = 0;
  const std::string edge = "ED]abc";
  const std::string out = scrubbed("ED]abcabc", edge, n);
  CHECK(out.find(edge) == std::string::npos);
  CHECK(n >= 1);
}

TEST_CASE("proxy scrub: forms are longest first and unique", "[proxy][scrub]") {
  auto forms = secret_forms("abcdef-123456", kBearer);
  REQUIRE_FALSE(forms.empty());
  for (std::size_t i = 1; i < forms.size(); ++i) CHECK(forms[i - 1].size() >= forms[i].size());
  for (std::size_t i = 0; i < forms.size(); ++i) {
    for (std::size_t k = i + 1; k < forms.size(); ++k) CHECK(forms[i] != forms[k]);
  }
  CHECK(secret_forms("", kBearer).empty());
}

TEST_CASE("proxy scrub: forms a hostile upstream could use to get the key past it",
          "[proxy][scrub]") {
  const std::string secret = "sk-Live_0123/abcDEF\"x";
  std::size_t n = 0;
  std::string hex = crypto::hex_encode(secret);
  std::string hex_upper = hex;
  for (char& c : hex_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string hex_mixed = hex;
  for (std::size_t i = 0; i < hex_mixed.size(); i += 2) {
    hex_mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(hex_mixed[i])));
  }
  std::string upper;
  std::string lower;
  std::string json_u;
  std::string html_dec;
  std::string html_hex;
  std::string utf16le;
  std::string utf16be;
  const char* digits = "0123456789abcdef";
  for (char c : secret) {
    const auto u = static_cast<unsigned char>(c);
    upper.push_back(static_cast<char>(std::toupper(u)));
    lower.push_back(static_cast<char>(std::tolower(u)));
    json_u += std::string("\\u00") + digits[u >> 4] + digits[u & 15];
    html_dec += "&#" + std::to_string(u) + ";";
    html_hex += std::string("&#x") + digits[u >> 4] + digits[u & 15];  // ';' is optional
    utf16le += std::string{c, '\0'};
    utf16be += std::string{'\0', c};
  }
  const std::string html_named = "sk-Live_0123/abcDEF&quot;x";
  // Half percent-encoded, half JSON-escaped with \u for the letters: a mix of escapes.
  const std::string mixed = "sk%2DLive_0123%2Fab\\u0063DEF\\\"x";
  for (const std::string& form : {hex, hex_upper, hex_mixed, upper, lower, json_u, html_dec,
                                  html_hex, html_named, utf16le, utf16be, mixed}) {
    INFO("form of " << form.size() << " bytes");
    CHECK(scrubbed("<" + form + ">", secret, n) == "<[REDACTED]>");
    CHECK(n == 1);
  }
  // An escape that only starts inside the match is redacted whole.
  CHECK(scrubbed("a%73k-Live_0123%2fabcDEF%22xz", secret, n) == "a[REDACTED]z");
  // Text that merely looks like an escape stays as it is.
  CHECK(scrubbed("100% \\q &nbsp; &#; %zz", secret, n) == "100% \\q &nbsp; &#; %zz");
  CHECK(n == 0);
}

TEST_CASE("proxy scrub: the output is bounded however short the value", "[proxy][scrub]") {
  std::size_t n = 0;
  const std::string text(4096, 'a');
  const std::string out = scrubbed(text, "a", n);  // every byte would become a marker
  CHECK(out.size() <= text.size() + text.size() / kMaxGrowthDivisor + kRedacted.size());
  CHECK(out.find('a') == std::string::npos);
  // A value of the minimum length cannot grow a text past the bound.
  std::string repeated;
  for (int i = 0; i < 512; ++i) repeated += "abcd1234";
  const std::string eight = scrubbed(repeated, "abcd1234", n);
  CHECK(n == 512);
  CHECK(eight.size() == 512 * kRedacted.size());
}

TEST_CASE("proxy scrub: a raw value next to an escape character is still found", "[proxy][scrub]") {
  std::size_t n = 0;
  // Decoding would join the '%', '\' or '&' before the value with its first
  // bytes (or the value's last bytes with what follows), hiding it from the
  // decoded view; the as-written view finds it.
  const std::string hex_key = "4f3a9c0e1b2d7a88";
  CHECK(scrubbed("%" + hex_key, hex_key, n) == "%[REDACTED]");
  CHECK(n == 1);
  CHECK(scrubbed("&#" + hex_key.substr(1), hex_key.substr(1), n) == "&#[REDACTED]");
  CHECK(scrubbed("\\" + std::string("nabcdefgh"), "nabcdefgh", n) == "\\[REDACTED]");
  CHECK(scrubbed("abcdefgh%4" + std::string("1"), "abcdefgh%4", n) == "[REDACTED]1");
  // A value that itself looks escaped is found as written and decoded.
  CHECK(scrubbed("<pre%41fix-0001>", "pre%41fix-0001", n) == "<[REDACTED]>");
  CHECK(scrubbed("<preAfix-0001>", "pre%41fix-0001", n) == "<[REDACTED]>");
}
