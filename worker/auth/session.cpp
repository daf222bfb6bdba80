#include "worker/auth/session.hpp"

#include "worker/audit/audit.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/cookies.hpp"
#include "worker/auth/pages.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/reply.hpp"
#include "worker/store/ids.hpp"
#include "worker/util/time.hpp"

namespace ve::auth {

namespace {
async::SqlValue text_or_null(const std::string& s) {
  return s.empty() ? async::SqlValue() : async::SqlValue(s);
}
}  // namespace

std::string session_token(const http::Request& req) {
  return cookie(req, kSessionCookie).value_or("");
}

std::string clipped_user_agent(std::string_view user_agent) {
  if (user_agent.size() <= kUserAgentMaxBytes) return std::string(user_agent);
  std::size_t end = kUserAgentMaxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut lands on a character start.
  while (end > 0 && (static_cast<unsigned char>(user_agent[end]) & 0xC0U) == 0x80U) --end;
  return std::string(user_agent.substr(0, end));
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

  const auto& req = ctx.req;
  std::vector<async::Statement> batch;
  batch.push_back(
      {"DELETE FROM sessions WHERE user_id = ?1 AND (expires_at <= ?2 OR "
       "last_seen_at <= ?3)",
       {user->id, now, now - kSessionIdleMs}});
  batch.push_back(
      {"INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, last_seen_at, "
       "user_agent, ip, country) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7, ?8)",
       {store::new_id("ses_"), credential_hash(token), user->id, now,
        now + kSessionLifetimeS * 1000,
        text_or_null(clipped_user_agent(req.header("user-agent").value_or(""))),
        text_or_null(req.client_ip), text_or_null(req.country)}});
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
