#include "worker/vault/credential.hpp"

#include <algorithm>
#include <cstddef>

#include "worker/crypto/wipe.hpp"
#include "worker/json/json.hpp"
#include "worker/vault/validate.hpp"

namespace ve::vault {

namespace bj = boost::json;

namespace {

/// Length limits are checked by check_secret / check_oauth_url, with their messages.
constexpr std::size_t kUnlimited = static_cast<std::size_t>(-1);

/// URL fields are validated as URLs; client_id and scopes are free text (no
/// minimum length: not secrets); the rest are secrets.
Result<std::string> check_field(std::string_view field, std::string value) {
  if (field == "authorize_url" || field == "token_url") {
    return check_oauth_url(value, field);
  }
  if (field == "redirect_uri") return check_oauth_url(value, field, /*any_scheme=*/true);
  const bool secret = field != "client_id" && field != "scopes";
  if (auto ok = check_secret(value, field, secret ? kMinValueBytes : 1); !ok.ok()) {
    return ok.error();
  }
  return value;
}

/// Reads one optional oauth2 field (a string; `scopes` may be an array).
Result<std::optional<std::string>> read_field(const bj::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->value().is_null()) return std::optional<std::string>{};
  if (field == "scopes" && it->value().is_array()) {
    std::string joined;
    for (const auto& s : it->value().as_array()) {
      if (!s.is_string()) return bad_request("field 'scopes' must be a string or strings");
      if (!joined.empty()) joined.push_back(' ');
      joined.append(s.as_string());
    }
    if (joined.empty()) return std::optional<std::string>{};
    return std::optional<std::string>(std::move(joined));
  }
  auto s = json::optional_string(body, field, kUnlimited);
  if (!s.ok()) return s.error();
  if (!s.value() || s.value()->empty()) return std::optional<std::string>{};
  auto checked = check_field(field, std::move(*s.value()));
  if (!checked.ok()) return checked.error();
  return std::optional<std::string>(std::move(checked.value()));
}

Result<void> check_document_size(const OAuthFields& fields) {
  std::string doc = encode_oauth(fields);
  const bool too_large = doc.size() > kMaxValueBytes;
  crypto::secure_wipe(doc);
  if (too_large) {
    return bad_request("the OAuth credential is larger than 64 KiB", "value_too_large");
  }
  return {};
}

}  // namespace

bool is_oauth_field(std::string_view field) {
  return std::find(kOAuthFields.begin(), kOAuthFields.end(), field) != kOAuthFields.end();
}

const std::string* find_field(const OAuthFields& fields, std::string_view field) {
  for (const auto& [k, v] : fields) {
    if (k == field) return &v;
  }
  return nullptr;
}

std::string encode_oauth(const OAuthFields& fields) {
  bj::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  std::string out = bj::serialize(o);
  for (auto& kv : o) {
    auto& s = kv.value().as_string();
    crypto::secure_wipe(s.data(), s.size());
  }
  return out;
}

Result<OAuthFields> decode_oauth(std::string_view document) {
  const Error corrupt{500, "corrupt_credential", "a stored OAuth credential could not be read"};
  boost::system::error_code ec;
  bj::value v = bj::parse(document, ec);
  if (ec || !v.is_object()) return corrupt;
  OAuthFields out;
  for (auto field : kOAuthFields) {
    auto it = v.as_object().find(field);
    if (it == v.as_object().end()) continue;
    if (!it->value().is_string()) return corrupt;
    out.emplace_back(std::string(field), std::string(it->value().as_string()));
  }
  for (auto& kv : v.as_object()) {
    if (kv.value().is_string()) {
      auto& s = kv.value().as_string();
      crypto::secure_wipe(s.data(), s.size());
    }
  }
  return out;
}

Result<OAuthFields> oauth_fields_for_store(const bj::object& body, const Provider& provider) {
  OAuthFields out;
  for (auto field : kOAuthFields) {
    auto value = read_field(body, field);
    if (!value.ok()) {
      wipe(out);
      return value.error();
    }
    if (value.value()) {
      out.emplace_back(std::string(field), std::move(*value.value()));
    } else if (field == "client_id" || field == "client_secret") {
      wipe(out);
      return bad_request("field '" + std::string(field) +
                         "' is required for an oauth2 credential (with client_id and "
                         "client_secret; refresh_token, scopes and URLs are optional)");
    } else if (provider.oauth && field == "authorize_url") {
      out.emplace_back(std::string(field), std::string(provider.oauth->authorize_url));
    } else if (provider.oauth && field == "token_url") {
      out.emplace_back(std::string(field), std::string(provider.oauth->token_url));
    }
  }
  if (auto size = check_document_size(out); !size.ok()) {
    wipe(out);
    return size.error();
  }
  return out;
}

Result<Rotation> parse_rotation(const bj::object& body) {
  Rotation r;
  auto key = json::optional_string(body, "key", kUnlimited);
  if (!key.ok()) return key.error();
  auto value = json::optional_string(body, "value", kUnlimited);
  if (!value.ok()) return value.error();
  std::optional<std::string> new_value = key.value() ? key.value() : value.value();
  const bool has_oauth = std::any_of(kOAuthFields.begin(), kOAuthFields.end(), [&](auto f) {
    auto it = body.find(f);
    return it != body.end() && !it->value().is_null();
  });
  if (new_value && has_oauth) {
    return bad_request(
        "send either 'key' (api_key credentials) or OAuth fields such as 'client_secret' "
        "(oauth2 credentials), not both");
  }
  if (new_value) {
    if (auto ok = check_secret(*new_value, key.value() ? "key" : "value"); !ok.ok()) {
      return ok.error();
    }
    r.value = std::move(*new_value);
    return r;
  }
  if (!has_oauth) {
    return bad_request(
        "field 'key' is required (the new value); for an oauth2 credential send "
        "'client_secret' and/or 'refresh_token'");
  }
  r.oauth2 = true;
  for (auto field : kOAuthFields) {
    auto v = read_field(body, field);
    if (!v.ok()) {
      wipe(r.changes);
      return v.error();
    }
    if (v.value()) r.changes.emplace_back(std::string(field), std::move(*v.value()));
  }
  if (r.changes.empty()) {
    return bad_request("the OAuth fields to rotate must not be empty");
  }
  return r;
}

Result<OAuthFields> merge_oauth(const OAuthFields& current, const OAuthFields& changes) {
  OAuthFields out;
  for (auto field : kOAuthFields) {
    const std::string* v = find_field(changes, field);
    if (v == nullptr) v = find_field(current, field);
    if (v != nullptr) out.emplace_back(std::string(field), *v);
  }
  if (auto size = check_document_size(out); !size.ok()) {
    wipe(out);
    return size.error();
  }
  return out;
}

void wipe(OAuthFields& fields) {
  for (auto& [k, v] : fields) crypto::secure_wipe(v);
  fields.clear();
}

}  // namespace ve::vault
