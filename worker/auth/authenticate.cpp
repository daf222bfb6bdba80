#include "worker/auth/authenticate.hpp"

#include "worker/auth/session.hpp"
#include "worker/crypto/sha256.hpp"
#include "worker/oauth/tokens.hpp"
#include "worker/store/rows.hpp"
#include "worker/tokens/credentials.hpp"
#include "worker/util/time.hpp"

namespace ve::auth {

namespace {
constexpr std::string_view kMasterPrefix = "vk_master_";
constexpr std::int64_t kLastUsedGranularityMs = 60'000;

Error unauthorized(std::string message) {
  return {401, "unauthorized", std::move(message)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string credential_hash(std::string_view token) {
  return crypto::sha256_hex(token);
}

std::optional<std::string> cookie(const http::Request& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k != "cookie") continue;
    std::string_view s = v;
    while (!s.empty()) {
      auto semi = s.find(';');
      auto part = trim(s.substr(0, semi));
      s = semi == std::string_view::npos ? std::string_view() : s.substr(semi + 1);
      auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        return std::string(part.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

async::Task<Result<Principal>> authenticate_bearer(api::Ctx& ctx) {
  if (ctx.req.query.count("access_token") != 0) {
    co_return bad_request(
        "access tokens in the query string are not accepted: send them in the Authorization "
        "header");
  }
  auto header = ctx.req.header("authorization");
  if (!header) {
    co_return unauthorized("missing Authorization header: run `apilocker register` to get a token");
  }
  std::string_view h = trim(*header);
  if (h.size() < 7 || !(h.substr(0, 7) == "Bearer " || h.substr(0, 7) == "bearer ")) {
    co_return unauthorized("Authorization header must be `Bearer <token>`");
  }
  std::string_view token = trim(h.substr(7));
  if (token.substr(0, oauth::kAccessPrefix.size()) == oauth::kAccessPrefix) {
    co_return co_await oauth::access_token_principal(ctx, token);
  }
  if (token.substr(0, tokens::kAccessPrefix.size()) == tokens::kAccessPrefix) {
    co_return co_await tokens::scoped_principal(ctx, token);
  }
  if (token.substr(0, kMasterPrefix.size()) != kMasterPrefix) {
    co_return unauthorized("unknown, expired or revoked token");
  }
  const std::string hash = credential_hash(token);
  const std::int64_t now = util::now_ms();
  std::vector<async::Statement> batch;
  batch.push_back(
      {"UPDATE devices SET last_used_at = ?1 WHERE id = (SELECT device_id FROM "
       "master_tokens WHERE token_hash = ?2) AND revoked_at IS NULL AND "
       "(last_used_at IS NULL OR last_used_at < ?3)",
       {now, hash, now - kLastUsedGranularityMs}});
  batch.push_back(
      {"SELECT m.user_id, m.device_id, u.email FROM master_tokens m "
       "JOIN devices d ON d.id = m.device_id JOIN users u ON u.id = m.user_id "
       "WHERE m.token_hash = ?1 AND d.revoked_at IS NULL",
       {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& found = rows.value()[1];
  if (found.rows.empty()) co_return unauthorized("unknown, expired or revoked token");
  Principal p;
  p.kind = Principal::Kind::master;
  p.user_id = store::text_or_empty(found, 0, "user_id");
  p.actor_id = store::text_or_empty(found, 0, "device_id");
  p.email = store::text_or_empty(found, 0, "email");
  p.client = "apilocker-cli";
  co_return p;
}

async::Task<Result<std::optional<Principal>>> session_principal(api::Ctx& ctx) {
  auto token = cookie(ctx.req, kSessionCookie);
  if (!token || token->empty()) co_return std::optional<Principal>{};
  const std::string hash = credential_hash(*token);
  const std::int64_t now = util::now_ms();
  const std::int64_t idle_cutoff = now - kSessionIdleMs;
  std::vector<async::Statement> batch;
  // The bump writes only when the last one is older than the granularity, and
  // never revives a session that is already dead (expired or idle).
  batch.push_back(
      {"UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND expires_at > ?2 AND "
       "last_seen_at > ?3 AND last_seen_at < ?4",
       {hash, now, idle_cutoff, now - kLastSeenGranularityMs}});
  batch.push_back(
      {"SELECT s.id, s.user_id, u.email FROM sessions s JOIN users u ON u.id = s.user_id "
       "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3",
       {hash, now, idle_cutoff}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& found = rows.value()[1];
  if (found.rows.empty()) co_return std::optional<Principal>{};
  Principal p;
  p.kind = Principal::Kind::session;
  p.user_id = store::text_or_empty(found, 0, "user_id");
  p.email = store::text_or_empty(found, 0, "email");
  p.session_id = store::text_or_empty(found, 0, "id");
  p.client = "dashboard";
  co_return std::optional<Principal>(std::move(p));
}

}  // namespace ve::auth
