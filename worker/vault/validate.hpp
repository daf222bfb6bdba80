// Field rules for key input (store, rename, rotate). Each check returns a 400
// whose message names the field and says what is allowed; no message ever
// echoes a secret value.
#pragma once
#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/result.hpp"

namespace ve::vault {

inline constexpr std::size_t kMaxNameBytes = 128;
/// Largest secret: an api_key value, or an oauth2 credential's JSON document.
inline constexpr std::size_t kMaxValueBytes = std::size_t{64} * 1024;
/// Smallest secret value accepted, bytes. Shorter values are not credentials
/// worth a vault, and the proxy's redaction of a short value would match
/// ordinary text and inflate answers (a marker per occurrence).
inline constexpr std::size_t kMinValueBytes = 8;
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTagBytes = 64;
inline constexpr std::size_t kMaxUrlBytes = 2048;

/// A key name: 1..128 characters of `A-Z a-z 0-9 _ - . : @ +`, at least one
/// letter or digit. (No `/`, `,` or spaces: names travel unescaped in CLI URLs,
/// comma-separated `--keys` lists and `.apilockerrc` lines.) `field` names the
/// JSON field in the error ("name", "new_name").
Result<std::string> check_name(std::string_view name, std::string_view field = "name");

/// Optional `tags`: an array of strings (or one comma-separated string), each
/// trimmed, 1..64 bytes, no control characters or commas; at most 20;
/// duplicates dropped, order kept.
Result<std::vector<std::string>> parse_tags(const boost::json::object& body);

/// A base URL for the proxy: `https://host[:port][/path]` without user info,
/// query or fragment; in development also `http://` to a loopback host; and one
/// the proxy's destination policy accepts (proxy::check_base_url: no private,
/// loopback or link-local address, no `localhost`). The trailing `/` is
/// dropped. Error: 400 `field 'base_url' …` saying which rule it breaks.
Result<std::string> check_base_url(std::string_view url, bool development,
                                   std::string_view field = "base_url");

/// An absolute URL for an OAuth endpoint or redirect (https, or http to a
/// loopback host; `any_scheme` also allows custom app schemes for redirect URIs).
Result<std::string> check_oauth_url(std::string_view url, std::string_view field,
                                    bool any_scheme = false);

/// A secret value: `min_bytes` (kMinValueBytes unless the field is not a
/// secret, such as an OAuth client_id) to kMaxValueBytes bytes, no NUL byte (it
/// must fit in an environment variable). Errors: 400 naming the field and the
/// bound, code `value_too_short`, `value_too_large` or `invalid_request`.
Result<void> check_secret(std::string_view value, std::string_view field,
                          std::size_t min_bytes = kMinValueBytes);

}  // namespace ve::vault
