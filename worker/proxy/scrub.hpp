// Redaction of a key from a provider's response (docs/proxy.md step 6): the
// secret is replaced by "[REDACTED]" in every form an upstream could echo it
// in, before anything reaches the caller. Pure functions.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "worker/async/effect.hpp"
#include "worker/vault/providers.hpp"

namespace ve::proxy {

/// What replaces each occurrence.
inline constexpr std::string_view kRedacted = "[REDACTED]";

/// Redacted output is at most input + input / kMaxGrowthDivisor + one marker
/// long; a text that would grow more becomes one marker (a stored value of at
/// least vault::kMinValueBytes keeps every occurrence that short).
inline constexpr std::size_t kMaxGrowthDivisor = 4;

/// The search keys for `secret` injected as `auth` says, each folded as the
/// text's two views will be (folded.hpp: ASCII case folded, and also with one
/// level of percent, JSON, `\x` and HTML escapes decoded), longest first,
/// without duplicates or empty strings. So the raw value is found wherever it
/// stands (also right after a '%', '\' or '&'), and also percent-encoded (either hex case,
/// RFC 3986), JSON-escaped (RFC 8259 §7, `\/` and `\uXXXX` included), as HTML
/// character references, in any mix of those, and in any letter case. Besides:
/// - standard and URL-safe base64 (RFC 4648 §4, §5), with and without '='
///   padding;
/// - for values of 6 bytes or more also the base64 characters that depend
///   only on the value when it is encoded after 0, 1 or 2 other bytes (so
///   base64("Bearer " + value) or of "user:" + value is caught too);
/// - '+' for spaces, as HTML forms encode them;
/// - hex (RFC 4648 §8, either case);
/// - UTF-16, little- and big-endian (RFC 2781), when the value is UTF-8;
/// - the injected credential (e.g. "Basic base64(user:value)") and, for basic,
///   base64 of exactly what was sent.
/// What it does not read: encodings of the value other than these (encrypted,
/// compressed, hashed, split across a body, nested escapes): scrubbing is defence
/// in depth, not a guarantee (docs/proxy.md "Scrubbing").
/// The result holds secrets: wipe it (wipe_forms) after use.
std::vector<std::string> secret_forms(std::string_view secret, const vault::Auth& auth);

/// Replaces every occurrence of any of `forms` in `text` (found in either of
/// its folded views, then mapped back to the original bytes, an escape counted
/// whole) by
/// kRedacted and returns how many markers were inserted. Occurrences are
/// found at every offset (also overlapping ones); overlapping occurrences (of
/// one form or of several) become one marker, adjacent ones one marker each.
/// If a replacement creates a new occurrence across a marker's edge, the text
/// is scrubbed again (at most 4 passes, then the whole text becomes one
/// marker). A form that is itself part of the marker text is not looked for
/// again. Output size bound: kMaxGrowthDivisor.
std::size_t scrub(std::string& text, const std::vector<std::string>& forms);

std::size_t scrub_headers(async::Headers& headers, const std::vector<std::string>& forms);

/// secure_wipe of every form, then clear.
void wipe_forms(std::vector<std::string>& forms);

}  // namespace ve::proxy
