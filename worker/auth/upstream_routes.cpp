// Sign-in through GitHub, Google or an OIDC issuer: start (redirect to the
// provider) and callback (code exchange, then a session). The in-flight state
// lives in `login_states` (single use, 10 minutes) and in the state cookie
// that binds it to this browser.
#include "worker/auth/authenticate.hpp"
#include "worker/auth/cookies.hpp"
#include "worker/auth/github.hpp"
#include "worker/auth/handlers.hpp"
#include "worker/auth/oidc.hpp"
#include "worker/auth/pages.hpp"
#include "worker/auth/pkce.hpp"
#include "worker/auth/providers.hpp"
#include "worker/auth/return_to.hpp"
#include "worker/auth/session.hpp"
#include "worker/crypto/random.hpp"
#include "worker/crypto/sha256.hpp"
#include "worker/http/reply.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::auth::handlers {

namespace {

constexpr std::int64_t kLoginStateTtlS = 600;

std::string query_param(const Ctx& ctx, const std::string& name) {
  auto it = ctx.req.query.find(name);
  return it == ctx.req.query.end() ? std::string() : it->second;
}

std::string redirect_uri(const Ctx& ctx, const Provider& p) {
  return ctx.req.origin + "/auth/" + p.slug + "/callback";
}

http::Response not_configured(const Ctx& ctx) {
  return message_page(404, "Not available",
                      "Sign-in with \"" + (ctx.params.empty() ? std::string() : ctx.params[0]) +
                          "\" is not configured on this server.",
                      std::string(kDefaultReturnTo), "Other ways to sign in");
}

/// An error page that also drops the state cookie (the attempt is over).
http::Response failed(const Error& e) {
  auto r = error_page(e, "Sign-in failed");
  r.headers.emplace_back("set-cookie", clear_cookie(kStateCookie));
  return r;
}

/// The login_states row of `state`, deleted in the same batch (single use).
struct LoginState {
  std::string provider, verifier, nonce, return_to;
  std::int64_t expires_at = 0;
};
async::Task<Result<std::optional<LoginState>>> take_login_state(Ctx& ctx,
                                                                const std::string& state) {
  const std::string hash = credential_hash(state);
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT provider, code_verifier, nonce, return_to, expires_at FROM login_states "
       "WHERE state_hash = ?1",
       {hash}});
  batch.push_back({"DELETE FROM login_states WHERE state_hash = ?1", {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& r = rows.value()[0];
  if (r.rows.empty()) co_return std::optional<LoginState>{};
  co_return std::optional<LoginState>(LoginState{
      store::text_or_empty(r, 0, "provider"), store::text_or_empty(r, 0, "code_verifier"),
      store::text_or_empty(r, 0, "nonce"), store::text_or_empty(r, 0, "return_to"),
      store::integer(r, 0, "expires_at").value_or(0)});
}

}  // namespace

Handler upstream_start(Ctx& ctx) {
  auto provider = find_provider(ctx.config, ctx.params[0]);
  if (!provider) co_return not_configured(ctx);
  auto return_to = checked_return_to(query_param(ctx, "return_to"));
  if (!return_to.ok()) co_return error_page(return_to.error(), "Cannot sign in");

  Endpoints endpoints = github_endpoints();
  if (provider->protocol == Provider::Protocol::oidc) {
    auto discovered = co_await oidc_discover(ctx, *provider);
    if (!discovered.ok()) co_return error_page(discovered.error(), "Sign-in failed");
    endpoints = std::move(discovered.value());
  }

  const std::string state = crypto::random_token("vk_ls_");
  const std::string verifier = pkce_verifier();
  const std::string nonce = crypto::random_token("");
  if (state.empty() || verifier.empty() || nonce.empty()) {
    co_return error_page(unavailable("no randomness available; try again"), "Sign-in failed");
  }
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back({"DELETE FROM login_states WHERE expires_at <= ?1", {now}});
  batch.push_back(
      {"INSERT INTO login_states (state_hash, provider, code_verifier, nonce, "
       "return_to, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
       {credential_hash(state), provider->identity, verifier, nonce, *return_to,
        now + kLoginStateTtlS * 1000}});
  auto stored = co_await ctx.io.d1_batch(std::move(batch));
  if (!stored.ok()) co_return error_page(stored.error(), "Sign-in failed");

  Params params = {{"response_type", "code"},
                   {"client_id", provider->client_id},
                   {"redirect_uri", redirect_uri(ctx, *provider)},
                   {"scope", provider->scope},
                   {"state", state},
                   {"code_challenge", pkce_challenge(verifier)},
                   {"code_challenge_method", "S256"}};
  if (provider->protocol == Provider::Protocol::oidc) params.emplace_back("nonce", nonce);
  auto r = http::found(with_query(endpoints.authorization, params));
  r.headers.emplace_back("set-cookie", set_cookie(kStateCookie, state, kLoginStateTtlS));
  co_return r;
}

Handler upstream_callback(Ctx& ctx) {
  auto provider = find_provider(ctx.config, ctx.params[0]);
  if (!provider) co_return not_configured(ctx);
  const std::string state = query_param(ctx, "state");
  if (state.empty()) {
    co_return failed(bad_request("the provider's answer has no state parameter; start again"));
  }
  // Login CSRF: the state must be the one this browser was sent off with.
  if (!crypto::equal_ct(cookie(ctx.req, kStateCookie).value_or(""), state)) {
    co_return failed(
        bad_request("this sign-in was started in another browser or tab, or it took longer than 10 "
                    "minutes; start again",
                    "state_mismatch"));
  }
  auto taken = co_await take_login_state(ctx, state);
  if (!taken.ok()) co_return failed(taken.error());
  const auto& login = taken.value();
  if (!login || login->provider != provider->identity || login->expires_at <= util::now_ms()) {
    co_return failed(
        bad_request("this sign-in link expired or was already used; start again", "invalid_state"));
  }
  if (auto error = query_param(ctx, "error"); !error.empty()) {
    if (error == "access_denied") {
      co_return failed(Error{403, "access_denied", "sign-in was cancelled at " + provider->label});
    }
    error.resize(std::min<std::size_t>(error.size(), 64));
    for (char& c : error) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    co_return failed(Error{502, "upstream_error",
                           provider->label + " refused the sign-in (error: " + error + ")"});
  }
  const std::string code = query_param(ctx, "code");
  if (code.empty()) co_return failed(bad_request("the provider's answer has no code; start again"));
  auto return_to = checked_return_to(login->return_to);
  if (!return_to.ok()) co_return failed(return_to.error());

  CallbackInput in{code, login->verifier, login->nonce, redirect_uri(ctx, *provider)};
  Result<Identity> identity = Error{};
  if (provider->protocol == Provider::Protocol::github) {
    identity = co_await github_identity(ctx, *provider, std::move(in));
  } else {
    auto endpoints = co_await oidc_discover(ctx, *provider);
    if (!endpoints.ok()) co_return failed(endpoints.error());
    identity = co_await oidc_identity(ctx, *provider, *endpoints, std::move(in));
  }
  if (!identity.ok()) co_return failed(identity.error());
  co_return co_await complete_sign_in(ctx, std::move(identity.value()), *return_to, kStateCookie);
}

}  // namespace ve::auth::handlers
