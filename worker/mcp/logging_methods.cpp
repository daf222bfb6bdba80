#include <array>

#include "worker/mcp/logging.hpp"
#include "worker/mcp/methods.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::mcp {

namespace {
constexpr std::array<std::string_view, 8> kLevels = {"emergency", "alert",  "critical", "error",
                                                     "warning",   "notice", "info",     "debug"};
}  // namespace

int log_severity(std::string_view level) {
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    if (kLevels[i] == level) return static_cast<int>(i);
  }
  return -1;
}

async::Statement save_log_level(const auth::Principal& p, std::string_view level) {
  return {
      "INSERT INTO mcp_log_levels (user_id, actor_kind, actor_id, level, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, actor_kind, actor_id) "
      "DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at",
      {p.user_id, std::string(auth::kind_name(p.kind)), p.actor_id, std::string(level),
       util::now_ms()}};
}

async::Statement load_log_level(const auth::Principal& p) {
  return {
      "SELECT level FROM mcp_log_levels WHERE user_id = ?1 AND actor_kind = ?2 AND actor_id = ?3",
      {p.user_id, std::string(auth::kind_name(p.kind)), p.actor_id}};
}

int min_level_from(const async::Rows& rows) {
  if (rows.rows.empty()) return kDefaultLogLevel;
  const int s = log_severity(store::text_or_empty(rows, 0, "level"));
  return s < 0 ? kDefaultLogLevel : s;
}

async::Task<MethodResult> set_level(Exchange& ex) {
  const auto* level = ex.msg.params.if_contains("level");
  if (!level || !level->is_string() || log_severity(level->as_string()) < 0) {
    co_return rpc::invalid_params(
        "Invalid params: \"level\" must be one of debug, info, notice, warning, error, critical, "
        "alert, emergency");
  }
  std::vector<async::Statement> batch;
  batch.push_back(save_log_level(ex.api.principal, level->as_string()));
  auto r = co_await ex.api.io.d1_batch(std::move(batch));
  if (!r.ok()) {
    co_return rpc::RpcError{rpc::kInternalError, "the logging level could not be saved; try again",
                            std::nullopt, 200};
  }
  co_return boost::json::object{};
}

}  // namespace ve::mcp
