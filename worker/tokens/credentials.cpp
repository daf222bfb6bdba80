#include "worker/tokens/credentials.hpp"

#include <algorithm>
#include <array>

#include "worker/auth/authenticate.hpp"
#include "worker/crypto/random.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::tokens {

namespace {
constexpr std::int64_t kHourMs = 3600LL * 1000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kLastUsedGranularityMs = 60'000;

struct Cadence {
  Rotation rotation;
  std::string_view name;
  std::int64_t access_ms;  ///< 0: never expires
};
constexpr std::array kCadences = {
    Cadence{Rotation::static_, "static", 0},
    Cadence{Rotation::hourly, "hourly", kHourMs},
    Cadence{Rotation::daily, "daily", kDayMs},
    Cadence{Rotation::weekly, "weekly", 7 * kDayMs},
    Cadence{Rotation::monthly, "monthly", 30 * kDayMs},
};

const Cadence& cadence(Rotation r) {
  return *std::find_if(kCadences.begin(), kCadences.end(),
                       [&](const Cadence& c) { return c.rotation == r; });
}

Error invalid_token(std::string message) {
  return {401, "invalid_token", std::move(message)};
}

async::Statement insert_if(const std::string& token_id, std::string_view kind,
                           const std::string& credential, async::SqlValue expires_at,
                           std::int64_t now, const std::string& condition,
                           const std::vector<async::SqlValue>& params) {
  async::Statement s{
      "INSERT INTO scoped_token_credentials (hash, token_id, kind, created_at, "
      "expires_at) SELECT ?, ?, ?, ?, ? WHERE " +
          condition,
      {auth::credential_hash(credential), token_id, std::string(kind), now, std::move(expires_at)}};
  s.params.insert(s.params.end(), params.begin(), params.end());
  return s;
}
}  // namespace

std::string_view rotation_name(Rotation r) {
  return cadence(r).name;
}

std::optional<Rotation> parse_rotation(std::string_view name) {
  for (const auto& c : kCadences) {
    if (c.name == name) return c.rotation;
  }
  return std::nullopt;
}

std::optional<std::int64_t> access_lifetime_ms(Rotation r) {
  const auto ms = cadence(r).access_ms;
  return ms == 0 ? std::nullopt : std::optional(ms);
}

std::int64_t refresh_lifetime_ms(Rotation r) {
  return std::max<std::int64_t>(30 * kDayMs, 3 * cadence(r).access_ms);
}

Result<Minted> mint(Rotation r, std::int64_t now) {
  Minted m;
  m.access = crypto::random_token(kAccessPrefix);
  if (auto life = access_lifetime_ms(r)) {
    m.refresh = crypto::random_token(kRefreshPrefix);
    m.access_expires_at = now + *life;
    if (m.refresh.empty()) return unavailable("no randomness available");
  }
  if (m.access.empty()) return unavailable("no randomness available");
  return m;
}

std::vector<async::Statement> insert_credentials_if(const std::string& token_id, const Minted& m,
                                                    Rotation r, std::int64_t now,
                                                    const std::string& condition,
                                                    const std::vector<async::SqlValue>& params) {
  std::vector<async::Statement> out;
  out.push_back(insert_if(token_id, "access", m.access, store::nullable(m.access_expires_at), now,
                          condition, params));
  if (!m.refresh.empty()) {
    out.push_back(insert_if(token_id, "refresh", m.refresh, now + refresh_lifetime_ms(r), now,
                            condition, params));
  }
  return out;
}

async::Task<Result<auth::Principal>> scoped_principal(api::Ctx& ctx, std::string_view token) {
  const std::string hash = auth::credential_hash(token);
  const std::int64_t now = util::now_ms();
  const std::string of_credential =
      "(SELECT token_id FROM scoped_token_credentials WHERE hash = ?1 AND kind = 'access')";
  std::vector<async::Statement> batch;
  batch.push_back({"UPDATE scoped_tokens SET last_used_at = ?2 WHERE id = " + of_credential +
                       " AND revoked_at IS NULL AND paused_at IS NULL AND (last_used_at IS NULL "
                       "OR last_used_at < ?3)",
                   {hash, now, now - kLastUsedGranularityMs}});
  batch.push_back(
      {"SELECT t.id, t.user_id, t.name, t.paused_at, t.revoked_at, c.expires_at, "
       "u.email FROM scoped_token_credentials c JOIN scoped_tokens t ON t.id = "
       "c.token_id JOIN users u ON u.id = t.user_id WHERE c.hash = ?1 AND c.kind = "
       "'access'",
       {hash}});
  batch.push_back(
      {"SELECT key_id FROM scoped_token_keys WHERE token_id = " + of_credential, {hash}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& t = rows.value()[1];
  if (t.rows.empty()) co_return invalid_token("unknown, expired or revoked token");
  const std::string name = store::text_or_empty(t, 0, "name");
  if (store::integer(t, 0, "revoked_at")) {
    co_return invalid_token("the scoped token '" + name + "' was revoked");
  }
  if (auto exp = store::integer(t, 0, "expires_at"); exp && *exp <= now) {
    co_return invalid_token("this credential of the scoped token '" + name +
                            "' has expired: refresh it with POST /v1/tokens/refresh");
  }
  if (store::integer(t, 0, "paused_at")) {
    co_return Error{403, "token_paused",
                    "the scoped token '" + name +
                        "' is paused: resume it with POST "
                        "/v1/tokens/:id/resume (or `resume_token`)"};
  }
  auth::Principal p;
  p.kind = auth::Principal::Kind::scoped;
  p.user_id = store::text_or_empty(t, 0, "user_id");
  p.email = store::text_or_empty(t, 0, "email");
  p.actor_id = store::text_or_empty(t, 0, "id");
  p.token_id = p.actor_id;
  p.client = name;
  const auto& keys = rows.value()[2];
  for (std::size_t i = 0; i < keys.rows.size(); ++i) {
    p.allowed_keys.push_back(store::text_or_empty(keys, i, "key_id"));
  }
  co_return p;
}

}  // namespace ve::tokens
