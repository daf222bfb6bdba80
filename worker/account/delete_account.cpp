// DELETE /v1/account: the user and everything of theirs, for good
// (docs/storage.md "Account deletion").
#include <boost/json.hpp>

#include "worker/account/handlers.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/cookies.hpp"
#include "worker/auth/users.hpp"
#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/maintenance/blob_deletions.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::account::handlers {

namespace {

namespace bj = boost::json;

// Every row of user ?1, children before parents so that no foreign key (D1
// enforces them) ever points at a deleted row, `users` last. ?2 = now.
// Statement 0 reads the blob keys and statement 1 lists them for deletion
// inside the same transaction, so no blob can be dropped from D1 unlisted.
// A table added later must be added here: tests/unit/host/account_delete_test.cpp
// enumerates every table of the schema and fails on any row left of the user.
constexpr const char* kBlobKeys = "SELECT blob_key FROM key_versions WHERE user_id = ?1";
constexpr const char* kKeysDelete = "DELETE FROM keys WHERE user_id = ?1";
constexpr const char* kDeletion[] = {
    kBlobKeys,
    // Long statements span several literals; every element ends with a comma.
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
    "INSERT INTO blob_deletions (blob_key, user_id, created_at) "
    "SELECT blob_key, user_id, ?2 FROM key_versions WHERE user_id = ?1 "
    "ON CONFLICT (blob_key) DO NOTHING",
    // Rate-limit buckets name the user (`…:user:<id>`) or one of their
    // credentials (`…:token:<device, grant or scoped token id>`).
    "DELETE FROM rate_limits WHERE (instr(bucket, ':user:') > 0 AND "
    "substr(bucket, instr(bucket, ':user:') + 6) = ?1) OR (instr(bucket, ':token:') > 0 AND "
    "substr(bucket, instr(bucket, ':token:') + 7) IN (SELECT id FROM devices WHERE user_id = ?1 "
    "UNION SELECT id FROM oauth_grants WHERE user_id = ?1 "
    "UNION SELECT id FROM scoped_tokens WHERE user_id = ?1))",
    "DELETE FROM scoped_token_credentials WHERE token_id IN "
    "(SELECT id FROM scoped_tokens WHERE user_id = ?1)",
    "DELETE FROM scoped_token_keys WHERE token_id IN "
    "(SELECT id FROM scoped_tokens WHERE user_id = ?1) OR key_id IN "
    "(SELECT id FROM keys WHERE user_id = ?1)",
    "DELETE FROM scoped_tokens WHERE user_id = ?1",
    "DELETE FROM oauth_tokens WHERE grant_id IN (SELECT id FROM oauth_grants WHERE user_id = ?1)",
    "DELETE FROM oauth_codes WHERE grant_id IN (SELECT id FROM oauth_grants WHERE user_id = ?1)",
    "DELETE FROM oauth_grants WHERE user_id = ?1",
    "DELETE FROM oauth_requests WHERE user_id = ?1",
    "DELETE FROM mcp_log_levels WHERE user_id = ?1",
    "DELETE FROM key_aliases WHERE user_id = ?1",
    "DELETE FROM key_versions WHERE user_id = ?1",
    kKeysDelete,
    "DELETE FROM master_tokens WHERE user_id = ?1",
    "DELETE FROM devices WHERE user_id = ?1",
    "DELETE FROM device_codes WHERE user_id = ?1",
    "DELETE FROM sessions WHERE user_id = ?1",
    "DELETE FROM identities WHERE user_id = ?1",
    "DELETE FROM audit_log WHERE user_id = ?1",
    "DELETE FROM users WHERE id = ?1",
};

/// The index of `sql` in kDeletion (a constant of this file: always found).
std::size_t index_of(const char* sql) {
  std::size_t i = 0;
  while (kDeletion[i] != sql) ++i;
  return i;
}

/// The account's email as the body confirms it, or a 400 to show the user.
Result<std::string> confirmed(const Ctx& ctx) {
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) return body.error();
  auto typed = json::required_string(*body, "confirm_email", 254);
  if (!typed.ok()) return typed.error();
  // Surrounding spaces (a paste) do not count; normalized_email lower-cases.
  std::string_view t = *typed;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  auto email = auth::normalized_email(t);
  if (!email || *email != ctx.principal.email) {
    return bad_request("confirm_email must be this account's email address, " +
                           ctx.principal.email + ", typed out to confirm the deletion",
                       "confirm_email_mismatch");
  }
  return *email;
}

}  // namespace

Handler delete_account(Ctx& ctx) {
  // Only a person at the dashboard: a stolen device token must not be able to
  // erase the account together with its audit trail.
  if (ctx.principal.session_id.empty()) {
    co_return http::error(session_required("Deleting the account"));
  }
  auto email = confirmed(ctx);
  if (!email.ok()) co_return http::error(email.error());

  // No audit row: the user's audit log is deleted with the rest, in this batch.
  const std::vector<async::SqlValue> both{ctx.principal.user_id, util::now_ms()};
  const std::vector<async::SqlValue> user_only{ctx.principal.user_id};
  std::vector<async::Statement> batch;
  for (const char* sql : kDeletion) {
    // D1 and SQLite refuse a parameter the statement does not use.
    const bool uses_now = std::string_view(sql).find("?2") != std::string_view::npos;
    batch.push_back({sql, uses_now ? both : user_only});
  }
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());

  // The rows are gone (D1 first): now the blobs, each one's listing going with it.
  const auto& listed = rows.value()[index_of(kBlobKeys)];
  std::vector<std::string> blob_keys;
  blob_keys.reserve(listed.rows.size());
  for (std::size_t i = 0; i < listed.rows.size(); ++i) {
    blob_keys.push_back(store::text_or_empty(listed, i, "blob_key"));
  }
  const auto total = static_cast<std::int64_t>(blob_keys.size());
  auto swept = co_await maintenance::delete_listed_blobs(ctx.io, std::move(blob_keys));
  // A failed sweep still answers success: the account is gone, and whatever
  // is still listed is the hourly purge's to finish.
  const maintenance::BlobSweep sweep = swept.ok() ? *swept : maintenance::BlobSweep{0, total};

  auto r = http::json(200, bj::object{{"deleted", true},
                                      {"keys", rows.value()[index_of(kKeysDelete)].changes},
                                      {"blobs_deleted", sweep.deleted},
                                      {"blobs_pending", sweep.pending}});
  r.headers.emplace_back("set-cookie", auth::clear_cookie(auth::kSessionCookie));
  co_return r;
}

}  // namespace ve::account::handlers
