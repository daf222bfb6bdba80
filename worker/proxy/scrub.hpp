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

/// The texts to redact for `secret` injected as `auth` says, longest first,
/// without duplicates or empty strings:
/// - the raw value;
/// - standard and URL-safe base64 (RFC 4648 §4, §5), with and without '='
///   padding;
/// - for values of 6 bytes or more also the base64 characters that depend
///   only on the value when it is encoded after 0, 1 or 2 other bytes (so
///   base64("Bearer " + value) or of "user:" + value is caught too);
/// - percent-encoded (RFC 3986, upper- and lower-case hex; '+' for spaces as
///   forms encode them);
/// - JSON-escaped (RFC 8259 §7, also with "\/");
/// - the injected credential (e.g. "Basic base64(user:value)") and, for basic,
///   base64 of exactly what was sent.
/// The result holds secrets: wipe it (wipe_forms) after use.
std::vector<std::string> secret_forms(std::string_view secret, const vault::Auth& auth);

/// Replaces every occurrence of any of `forms` in `text` by kRedacted and
/// returns how many markers were inserted. Occurrences are found at every
/// offset (also overlapping ones); overlapping occurrences (of one form or of
/// several) become one marker, adjacent ones one marker each. If a
/// replacement creates a new occurrence across a marker's edge, the text is
/// scrubbed again (at most 4 passes, then the whole text becomes one marker).
/// A form that is itself part of the marker text is not looked for again.
std::size_t scrub(std::string& text, const std::vector<std::string>& forms);

/// scrub() on every header value; a header whose name holds a form is
/// dropped (and counted once), since a marker is not a valid header name.
/// Returns the total count.
std::size_t scrub_headers(async::Headers& headers, const std::vector<std::string>& forms);

/// secure_wipe of every form, then clear.
void wipe_forms(std::vector<std::string>& forms);

}  // namespace ve::proxy
