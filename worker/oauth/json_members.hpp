// Repeated member names in JSON client metadata (RFC 7591 registration bodies
// and Client ID Metadata Documents). boost::json::parse keeps the last of
// repeated names, so `{"redirect_uris": ["https://good/cb"], "redirect_uris":
// ["https://evil/cb"]}` would mean one thing to a reviewer or a proxy reading
// the first and another to us; RFC 8259 §4 leaves such objects'
// meaning unpredictable, so OAuth metadata with them is refused, like
// repeated parameters (params.hpp, RFC 6749 §3.1).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ve::oauth {

/// The first member name that occurs twice in one object, at any depth, of
/// the JSON text `json` (names compared after unescaping, so "a" and "\u0061"
/// are the same); cut to 64 bytes. nullopt when there is none, and also when
/// `json` is not valid JSON (the caller's parser reports that).
/// `{"a":1,"b":{"a":2}}` → nullopt; `{"a":1,"a":2}` → "a".
std::optional<std::string> repeated_member(std::string_view json);

}  // namespace ve::oauth
