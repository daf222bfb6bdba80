// How long a fetched Client ID Metadata Document may be reused without
// fetching it again: its HTTP freshness lifetime (RFC 9111 §4.2.1), as a
// shared cache computes it, bounded to a day. docs/oauth.md "Clients".
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "worker/async/effect.hpp"

namespace ve::oauth {

/// The longest a document is kept, whatever its response says: 24 hours.
inline constexpr std::int64_t kMaxDocumentLifetimeMs = 24LL * 60 * 60 * 1000;

/// Milliseconds the response with `headers` stays fresh, received at `now_ms`;
/// 0 means "do not store". In order (RFC 9111 §5.2.2, §4.2.1, §4.2.3):
/// - `Cache-Control` with `no-store`, `no-cache` or `private` (we are a cache
///   shared by every user) → 0;
/// - `s-maxage=N`, else `max-age=N` (N decimal seconds, optionally quoted) →
///   N s; a malformed value → 0;
/// - else `Expires` (an IMF-fixdate; anything else, e.g. "0", is already
///   expired) minus `Date` (the response's, else now_ms) → that, if positive;
/// - else 0: no heuristic freshness.
/// Minus `Age` (seconds) when present, then clamped to [0, kMaxDocumentLifetimeMs].
/// Header names are matched case-insensitively; repeated Cache-Control lines
/// are read together.
std::int64_t document_lifetime_ms(const async::Headers& headers, std::int64_t now_ms);

/// An HTTP-date (RFC 9110 §5.6.7) as ms since the epoch: IMF-fixdate ("Sun, 06
/// Nov 1994 08:49:37 GMT") and the two obsolete forms a recipient must accept
/// (RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37
/// 1994"), read by libc's strptime; nullopt for anything else (an unreadable
/// date means "not fresh").
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace ve::oauth
