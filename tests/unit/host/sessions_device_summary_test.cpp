// account::device_summary: the "Chrome on Linux" label of the sessions page,
// from real User-Agent strings of current browsers.
#include <catch2/catch.hpp>

#include "worker/account/device_summary.hpp"

using ve::account::device_summary;

TEST_CASE("device_summary: browser family and OS of common user agents", "[sessions]") {
  struct Case {
    const char* ua;
    const char* label;
  };
  const Case cases[] = {
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/131.0.0.0 Safari/537.36",
       "Chrome on Linux"},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
       "Edge on Windows"},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) Version/18.1 Safari/605.1.15",
       "Safari on macOS"},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
       "Safari on iOS"},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
       "Chrome on iOS"},
      {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/131.0.0.0 Mobile Safari/537.36",
       "Chrome on Android"},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
       "Firefox on Windows"},
      {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
       "Firefox on Linux"},
      {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/131.0.0.0 Safari/537.36",
       "Chrome on ChromeOS"},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
       "Opera on Windows"},
      {"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
       "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
       "Samsung Internet on Android"},
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "HeadlessChrome/131.0.0.0 Safari/537.36",
       "Chrome on Linux"},
  };
  for (const auto& c : cases) {
    INFO(c.ua);
    CHECK(device_summary(c.ua) == std::optional<std::string>(c.label));
  }
}

TEST_CASE("device_summary: one part when only one is known, none for the rest", "[sessions]") {
  CHECK(device_summary("SomeBrowser/1.0 (Windows NT 10.0)") ==
        std::optional<std::string>("Windows"));
  CHECK(device_summary("Firefox/133.0") == std::optional<std::string>("Firefox"));
  // "Version/" without Safari's token is not Safari.
  CHECK(device_summary("tool Version/2.0") == std::nullopt);
  CHECK(device_summary("curl/8.5.0") == std::nullopt);
  CHECK(device_summary("node") == std::nullopt);
  CHECK(device_summary("") == std::nullopt);
}
