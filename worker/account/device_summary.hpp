// A short, human label for a browser session's User-Agent ("Chrome on Linux"),
// for the sessions page (GET /v1/sessions `device`).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ve::account {

/// "<browser> on <OS>" from a User-Agent header (RFC 9110 §10.1.5), e.g.
/// "Chrome on Linux", "Safari on iOS", "Firefox on Windows"; only the browser
/// or only the OS when just one is recognised ("Firefox", "macOS"); nullopt
/// when neither is (curl, bots, an empty header).
///
/// Browsers: Edge, Opera, Samsung Internet, Firefox, Chrome, Chromium, Safari.
/// OSes: Windows, Android, iOS, ChromeOS, macOS, Linux. No versions, no device
/// models: browsers now freeze or reduce those parts of the string (Chromium's
/// User-Agent reduction), the label only has to let a person recognise their
/// own sessions, and the raw string is shown next to it. That is why this is
/// a few ordered token checks and not a UA-parsing library with its regex
/// tables, which need constant updates and would add to the wasm.
std::optional<std::string> device_summary(std::string_view user_agent);

}  // namespace ve::account
