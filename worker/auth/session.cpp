#include "worker/auth/session.hpp"

#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/cookies.hpp"
#include "worker/auth/pages.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/reply.hpp"
#include "worker/util/time.hpp"

namespace ve::auth {

std::string session_token(const http::Request& req) {
  return cookie(req, kSessionCookie).value_or("");
}

async::Task<http::Response> complete_sign_in(api::Ctx& ctx, Identity identity,
                                             std::string return_to, std::string also_clear) {
  const std::string provider = identity.provider;
  auto user = co_await find_or_create_user(ctx, std::move(identity));
  if (!user.ok()) co_return error_page(user.error(), "Sign-in failed");

  const std::string token = crypto::random_token("vk_sess_");
  if (token.empty())
    co_return error_page(unavailable("no randomness available; try again"), "Sign-in failed");
  const std::int64_t now = util::now_ms();

  ctx.principal = Principal{};
  ctx.principal.kind = Principal::Kind::session;
  ctx.principal.user_id = user->id;
  ctx.principal.email = user->email;
  ctx.principal.client = "dashboard";

  std::vector<async::Statement> batch;
  batch.push_back(
      {"DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2", {user->id, now}});
  batch.push_back(
      {"INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
       "VALUES (?1, ?2, ?3, ?4)",
       {credential_hash(token), user->id, now, now + kSessionLifetimeS * 1000}});
  batch.push_back(
      audit::insert(ctx, {.action = "auth.sign_in", .status = 303, .detail = provider}));
  auto done = co_await ctx.io.d1_batch(std::move(batch));
  if (!done.ok()) co_return error_page(done.error(), "Sign-in failed");

  auto r = http::see_other(std::move(return_to));
  r.headers.emplace_back("set-cookie", set_cookie(kSessionCookie, token, kSessionLifetimeS));
  if (!also_clear.empty()) r.headers.emplace_back("set-cookie", clear_cookie(also_clear));
  co_return r;
}

}  // namespace ve::auth
