#include "worker/audit/audit.hpp"

#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::audit {

async::Statement insert(const api::Ctx& ctx, const Entry& e) {
  const std::int64_t now = util::now_ms();
  const auto& p = ctx.principal;
  return {
      "INSERT INTO audit_log (user_id, created_at, actor_kind, actor_id, action, key_id, "
      "key_name, token_id, client, source_ip, country, status, latency_ms, detail) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      {p.user_id, now, std::string(auth::kind_name(p.kind)),
       store::nullable(p.actor_id.empty() ? std::nullopt : std::optional(p.actor_id)), e.action,
       store::nullable(e.key_id), store::nullable(e.key_name),
       store::nullable(e.token_id           ? e.token_id
                       : p.token_id.empty() ? std::nullopt
                                            : std::optional(p.token_id)),
       store::nullable(p.client.empty() ? std::nullopt : std::optional(p.client)),
       store::nullable(ctx.req.client_ip.empty() ? std::nullopt : std::optional(ctx.req.client_ip)),
       store::nullable(ctx.req.country.empty() ? std::nullopt : std::optional(ctx.req.country)),
       static_cast<std::int64_t>(e.status), now - ctx.started_ms, store::nullable(e.detail)}};
}

async::Task<Result<void>> record(api::Ctx& ctx, const Entry& entry) {
  std::vector<async::Statement> batch;
  batch.push_back(insert(ctx, entry));
  auto r = co_await ctx.io.d1_batch(std::move(batch));
  if (!r.ok()) co_return r.error();
  co_return Result<void>();
}

}  // namespace ve::audit
