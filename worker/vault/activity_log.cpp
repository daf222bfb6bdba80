#include "worker/vault/activity_log.hpp"

#include <optional>
#include <string>

#include "worker/json/json.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::vault {

namespace bj = boost::json;

bj::object log_json(const async::Rows& rows, std::size_t i) {
  bj::object o;
  const auto created = store::integer(rows, i, "created_at").value_or(0);
  const auto action = store::text_or_empty(rows, i, "action");
  const auto key_name = store::text(rows, i, "key_name");
  const auto detail = store::text(rows, i, "detail");
  const auto status = store::integer(rows, i, "status");
  o["id"] = store::integer(rows, i, "id").value_or(0);
  o["created_at"] = util::iso8601(created);
  o["timestamp"] = util::iso8601(created);
  o["action"] = action;
  o["key_id"] = json::text_or_null(store::text(rows, i, "key_id"));
  o["key_name"] = json::text_or_null(key_name);
  o["provider"] = json::text_or_null(store::text(rows, i, "provider"));
  o["token_id"] = json::text_or_null(store::text(rows, i, "token_id"));
  o["actor_kind"] = store::text_or_empty(rows, i, "actor_kind");
  o["actor_id"] = json::text_or_null(store::text(rows, i, "actor_id"));
  o["client"] = json::text_or_null(store::text(rows, i, "client"));
  o["source_ip"] = json::text_or_null(store::text(rows, i, "source_ip"));
  o["country"] = json::text_or_null(store::text(rows, i, "country"));
  o["status"] = json::int_or_null(status);
  o["status_code"] = json::int_or_null(status);
  o["latency_ms"] = json::int_or_null(store::integer(rows, i, "latency_ms"));
  o["detail"] = json::text_or_null(detail);
  if (action == "key.proxy") {  // detail: "METHOD host/path → status, N bytes"
    o["forward_path"] = json::text_or_null(detail);
  } else {
    o["forward_path"] = key_name ? action + " " + *key_name : action;
  }
  return o;
}

}  // namespace ve::vault
