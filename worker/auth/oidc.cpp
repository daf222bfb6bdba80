#include "worker/auth/oidc.hpp"

#include "worker/crypto/encoding.hpp"
#include "worker/util/time.hpp"

namespace ve::auth {

namespace bj = boost::json;

namespace {
constexpr std::int64_t kClockSkewS = 120;

Error upstream_error(std::string message) {
  return {502, "upstream_error", std::move(message)};
}

std::string trimmed_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

bool has_string(const bj::value& v, std::string_view s) {
  if (v.is_string()) return v.as_string() == s;
  if (!v.is_array()) return false;
  for (const auto& x : v.as_array()) {
    if (x.is_string() && x.as_string() == s) return true;
  }
  return false;
}

/// JSON payload of a compact JWS (RFC 7515 §7.1), without checking the signature.
Result<bj::object> jwt_claims(std::string_view jwt) {
  auto a = jwt.find('.');
  auto b = a == std::string_view::npos ? a : jwt.find('.', a + 1);
  if (b == std::string_view::npos) return upstream_error("the ID token is not a JWT");
  auto payload = crypto::base64url_decode(jwt.substr(a + 1, b - a - 1));
  if (!payload) return upstream_error("the ID token payload is not base64url");
  boost::system::error_code ec;
  auto v = bj::parse(*payload, ec);
  if (ec || !v.is_object()) return upstream_error("the ID token payload is not a JSON object");
  return std::move(v.as_object());
}

std::optional<std::int64_t> int_member(const bj::object& o, std::string_view name) {
  auto it = o.find(name);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64()) return static_cast<std::int64_t>(it->value().as_uint64());
  if (it->value().is_double()) return static_cast<std::int64_t>(it->value().as_double());
  return std::nullopt;
}

/// `email_verified` as given: true/false, also as the strings some providers send.
std::optional<bool> verified_member(const bj::object& o) {
  auto it = o.find("email_verified");
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (it->value().is_bool()) return it->value().as_bool();
  if (it->value().is_string()) return it->value().as_string() == "true";
  return false;
}

/// Checks the ID token claims of Core §3.1.3.7 (2, 3, 9, 11); returns its `sub`.
Result<std::string> checked_id_token(const Provider& provider, const bj::object& claims,
                                     const std::string& nonce) {
  const std::string what = provider.label + "'s ID token";
  if (trimmed_slash(string_member(claims, "iss")) != provider.issuer) {
    return upstream_error(what + " was issued by another issuer");
  }
  auto aud = claims.find("aud");
  if (aud == claims.end() || !has_string(aud->value(), provider.client_id)) {
    return upstream_error(what + " is not addressed to our client id");
  }
  auto exp = int_member(claims, "exp");
  if (!exp || *exp + kClockSkewS < util::now_ms() / 1000) {
    return upstream_error(what + " has expired");
  }
  if (string_member(claims, "nonce") != nonce) {
    return upstream_error(what + " does not carry the nonce of this sign-in");
  }
  std::string sub = string_member(claims, "sub");
  if (sub.empty()) return upstream_error(what + " has no subject");
  return sub;
}
}  // namespace

async::Task<Result<Endpoints>> oidc_discover(api::Ctx& ctx, const Provider& provider) {
  const std::string what = provider.label + "'s OpenID configuration";
  if (!allowed_endpoint(ctx.config, provider.issuer + "/")) {
    co_return Error{500, "misconfigured",
                    "the OIDC issuer must be an https URL (plain http only on loopback in "
                    "development)"};
  }
  async::FetchRequest req;
  req.url = provider.issuer + "/.well-known/openid-configuration";
  req.headers = {{"accept", "application/json"}, {"user-agent", "vaultedge"}};
  auto doc = co_await fetch_json(ctx, std::move(req), what);
  if (!doc.ok()) co_return doc.error();
  if (trimmed_slash(string_member(*doc, "issuer")) != provider.issuer) {
    co_return upstream_error(what + " names a different issuer");
  }
  Endpoints e;
  e.authorization = string_member(*doc, "authorization_endpoint");
  e.token = string_member(*doc, "token_endpoint");
  e.userinfo = string_member(*doc, "userinfo_endpoint");
  if (!allowed_endpoint(ctx.config, e.authorization) || !allowed_endpoint(ctx.config, e.token) ||
      (!e.userinfo.empty() && !allowed_endpoint(ctx.config, e.userinfo))) {
    co_return upstream_error(what + " lacks an endpoint or uses one that is not https");
  }
  // client_secret_basic is the default (Discovery §3); use _post only when it is
  // the one the provider lists.
  auto methods = doc->find("token_endpoint_auth_methods_supported");
  if (methods != doc->end() && !has_string(methods->value(), "client_secret_basic") &&
      has_string(methods->value(), "client_secret_post")) {
    e.client_auth = ClientAuth::post;
  }
  co_return e;
}

async::Task<Result<Identity>> oidc_identity(api::Ctx& ctx, const Provider& provider,
                                            const Endpoints& endpoints, CallbackInput in) {
  auto tokens = co_await exchange_code(
      ctx, endpoints.token, provider.client_id, provider.client_secret, endpoints.client_auth,
      in.code, in.verifier, in.redirect_uri, provider.label + "'s token endpoint");
  if (!tokens.ok()) co_return tokens.error();
  const std::string id_token = string_member(*tokens, "id_token");
  if (id_token.empty()) co_return upstream_error(provider.label + " returned no ID token");
  auto claims = jwt_claims(id_token);
  if (!claims.ok()) co_return claims.error();
  auto sub = checked_id_token(provider, *claims, in.nonce);
  if (!sub.ok()) co_return sub.error();

  std::string email = string_member(*claims, "email");
  std::optional<bool> verified = verified_member(*claims);
  if (!endpoints.userinfo.empty()) {
    async::FetchRequest req;
    req.url = endpoints.userinfo;
    req.headers = {{"authorization", "Bearer " + string_member(*tokens, "access_token")},
                   {"accept", "application/json"},
                   {"user-agent", "vaultedge"}};
    auto info = co_await fetch_json(ctx, std::move(req), provider.label + "'s userinfo endpoint");
    if (!info.ok()) co_return info.error();
    if (string_member(*info, "sub") != *sub) {
      co_return upstream_error(provider.label + "'s userinfo is about another subject");
    }
    if (auto e = string_member(*info, "email"); !e.empty()) email = e;
    if (auto v = verified_member(*info)) verified = v;
  }
  if (email.empty()) {
    co_return Error{403, "no_email",
                    provider.label + " did not share an email address: allow the email scope"};
  }
  if (verified.has_value() && !*verified) {
    co_return Error{403, "email_not_verified",
                    "your email address at " + provider.label +
                        " is not verified: verify it there, then sign in again"};
  }
  auto normalized = normalized_email(email);
  if (!normalized) co_return upstream_error(provider.label + " returned an invalid email address");
  co_return Identity{provider.identity, std::move(sub).value(), std::move(*normalized)};
}

}  // namespace ve::auth
