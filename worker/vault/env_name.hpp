// Environment variable names for revealed credentials (docs/architecture.md, wire contract
// notes): what `apilocker run` / `env` export each value as.
#pragma once
#include <string>
#include <string_view>

namespace ve::vault {

/// The env var name for a credential requested as `name`:
///  - a SCREAMING_SNAKE name (`[A-Z_][A-Z0-9_]*`) is kept as is;
///  - otherwise letters are upper-cased, every run of characters other than
///    A-Z and 0-9 becomes one `_`, leading and trailing `_` are trimmed, and a
///    leading digit gets a `_` in front.
/// e.g. "OPENAI_API_KEY" → "OPENAI_API_KEY", "google-oauth" → "GOOGLE_OAUTH",
/// "my key.v2" → "MY_KEY_V2", "2fa" → "_2FA". Returns "" only for a name with no
/// letter or digit (which key names cannot be).
std::string env_name(std::string_view name);

/// The env var for one field of an oauth2 credential: env_name(name) + "_" +
/// the upper-cased field, e.g. ("google-oauth", "client_secret") →
/// "GOOGLE_OAUTH_CLIENT_SECRET".
std::string oauth_env_name(std::string_view name, std::string_view field);

}  // namespace ve::vault
