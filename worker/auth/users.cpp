#include "worker/auth/users.hpp"

#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::auth {

std::optional<std::string> normalized_email(std::string_view email) {
  if (email.empty() || email.size() > 254) return std::nullopt;
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(email.size());
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == ',') {
      return std::nullopt;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

async::Task<Result<UserRef>> find_or_create_user(api::Ctx& ctx, Identity identity) {
  const std::int64_t now = util::now_ms();
  const std::string new_id = store::new_id("usr_");
  const auto& p = identity.provider;
  const auto& s = identity.subject;
  const auto& e = identity.email;
  std::vector<async::Statement> batch;
  batch.push_back(
      {"INSERT INTO users (id, email, created_at) SELECT ?1, ?2, ?3 "
       "WHERE NOT EXISTS (SELECT 1 FROM identities WHERE provider = ?4 AND subject = ?5) "
       "AND NOT EXISTS (SELECT 1 FROM users WHERE email = ?2)",
       {new_id, e, now, p, s}});
  batch.push_back(
      {"INSERT INTO identities (provider, subject, user_id, email, created_at) "
       "SELECT ?1, ?2, id, ?3, ?4 FROM users WHERE email = ?3 "
       "AND NOT EXISTS (SELECT 1 FROM identities WHERE provider = ?1 AND subject = ?2)",
       {p, s, e, now}});
  batch.push_back(
      {"UPDATE identities SET email = ?3 WHERE provider = ?1 AND subject = ?2", {p, s, e}});
  batch.push_back(
      {"SELECT u.id, u.email FROM identities i JOIN users u ON u.id = i.user_id "
       "WHERE i.provider = ?1 AND i.subject = ?2",
       {p, s}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& found = rows.value()[3];
  if (found.rows.empty()) co_return unavailable("could not record the sign-in; try again");
  co_return UserRef{store::text_or_empty(found, 0, "id"), store::text_or_empty(found, 0, "email")};
}

}  // namespace ve::auth
