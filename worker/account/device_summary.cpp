#include "worker/account/device_summary.hpp"

#include <array>
#include <utility>

namespace ve::account {

namespace {

using Rule = std::pair<std::string_view, std::string_view>;  // token in the UA → label

// Order matters: every Chromium-based browser also says "Chrome/" and
// "Safari/", Chrome on iOS says "Safari/" too, and Android says "Linux".
constexpr std::array kBrowsers{
    Rule{"Edg/", "Edge"},        Rule{"EdgA/", "Edge"},
    Rule{"EdgiOS/", "Edge"},     Rule{"OPR/", "Opera"},
    Rule{"Opera", "Opera"},      Rule{"SamsungBrowser/", "Samsung Internet"},
    Rule{"Firefox/", "Firefox"}, Rule{"FxiOS/", "Firefox"},
    Rule{"CriOS/", "Chrome"},    Rule{"Chromium/", "Chromium"},
    Rule{"Chrome/", "Chrome"},   Rule{"Version/", "Safari"},
};
constexpr std::array kSystems{
    Rule{"Windows", "Windows"}, Rule{"Android", "Android"}, Rule{"iPhone", "iOS"},
    Rule{"iPad", "iOS"},        Rule{"iPod", "iOS"},        Rule{"CrOS", "ChromeOS"},
    Rule{"Macintosh", "macOS"}, Rule{"Mac OS X", "macOS"},  Rule{"Linux", "Linux"},
};

template <std::size_t N>
std::string_view first_match(std::string_view ua, const std::array<Rule, N>& rules) {
  for (const auto& [token, label] : rules) {
    if (ua.find(token) != std::string_view::npos) return label;
  }
  return {};
}

}  // namespace

std::optional<std::string> device_summary(std::string_view user_agent) {
  std::string_view browser = first_match(user_agent, kBrowsers);
  // "Version/" alone is not Safari: only with Safari's own token.
  if (browser == "Safari" && user_agent.find("Safari/") == std::string_view::npos) browser = {};
  const std::string_view os = first_match(user_agent, kSystems);
  if (browser.empty() && os.empty()) return std::nullopt;
  if (browser.empty()) return std::string(os);
  if (os.empty()) return std::string(browser);
  return std::string(browser) + " on " + std::string(os);
}

}  // namespace ve::account
