// The secret a key version holds, as sealed in its envelope:
//  - api_key: the value itself, byte for byte;
//  - oauth2:  one JSON object of string fields (client_id, client_secret,
//             refresh_token, authorize_url, token_url, scopes, redirect_uri),
//             absent fields omitted.
// Parsing a request's credential fields, (de)serialising the oauth2 document and
// merging a rotation into it live here. Every function that holds plaintext
// leaves wiping to its caller (crypto/wipe.hpp).
#pragma once
#include <array>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/result.hpp"
#include "worker/vault/providers.hpp"

namespace ve::vault {

/// The fields of an oauth2 credential, in document order.
inline constexpr std::array<std::string_view, 7> kOAuthFields = {
    "client_id", "client_secret", "refresh_token", "authorize_url",
    "token_url", "scopes",        "redirect_uri"};

/// Fields a rotation may replace (the CLI rotates client_secret or refresh_token;
/// the others may change along with them).
bool is_oauth_field(std::string_view field);

/// oauth2 fields present in a credential, in kOAuthFields order.
using OAuthFields = std::vector<std::pair<std::string, std::string>>;

/// Value of `field`, or nullptr.
const std::string* find_field(const OAuthFields& fields, std::string_view field);

/// The JSON document sealed for an oauth2 credential.
std::string encode_oauth(const OAuthFields& fields);
/// Parses a document made by encode_oauth (500 if it is not one: a bug or corruption).
Result<OAuthFields> decode_oauth(std::string_view document);

/// Reads oauth2 fields from a store request: client_id and client_secret
/// required; the rest optional (`scopes` a string or an array of strings,
/// joined by spaces); authorize_url/token_url default to the provider's.
Result<OAuthFields> oauth_fields_for_store(const boost::json::object& body,
                                           const Provider& provider);

/// What a rotate request asks for.
struct Rotation {
  bool oauth2 = false;
  std::string value;    ///< api_key: the new value
  OAuthFields changes;  ///< oauth2: fields to replace
};

/// Reads a rotate body: `{key}` (or `{value}`) for an api_key credential, or
/// any of the oauth2 fields for an oauth2 one (never both kinds).
Result<Rotation> parse_rotation(const boost::json::object& body);

/// `current` with `changes` applied (same field order). Errors when the merged
/// document would exceed the value limit.
Result<OAuthFields> merge_oauth(const OAuthFields& current, const OAuthFields& changes);

/// Wipes every value of `fields` and clears it.
void wipe(OAuthFields& fields);

}  // namespace ve::vault
