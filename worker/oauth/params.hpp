// The one parser of OAuth request parameters (query strings and
// application/x-www-form-urlencoded bodies) used by every OAuth endpoint that
// takes them: /oauth/authorize (query and consent form), /oauth/token and
// /oauth/revoke. Unlike http::parse_form (last value wins), it refuses a
// repeated name: RFC 6749 §3.1 and §3.2 "Request and response parameters MUST
// NOT be included more than once", and with last-wins `client_id=evil&client_id=real`
// could mean one thing to a proxy or log and another to us.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "worker/result.hpp"

namespace ve::oauth {

using Params = std::map<std::string, std::string>;

/// Decodes `encoded` ("a=1&b=x+y", '+' is a space, percent-escapes decoded,
/// empty pieces between '&' skipped, a name without '=' has the value "") into
/// name → value. Names are compared after decoding, so `client%5Fid` repeats
/// `client_id`. A name given twice is refused even when one value is empty.
/// Error: 400 `invalid_request`, "parameter 'client_id' is included more than
/// once (RFC 6749 §3.1)…" (the name cut to 64 bytes).
Result<Params> parse_params(std::string_view encoded);

/// The query of an absolute request URL: what follows the first '?', up to a
/// '#'; "" when there is none. "https://h/p?a=1#f" → "a=1".
std::string_view query_of(std::string_view url);

/// The value of `name` in `params`, or "" when absent.
std::string param(const Params& params, std::string_view name);

}  // namespace ve::oauth
