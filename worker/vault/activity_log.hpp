// One audit row as the activity routes show it (list, JSON lines export, and
// the columns of the CSV export).
#pragma once
#include <boost/json.hpp>
#include <cstddef>

#include "worker/async/effect.hpp"

namespace ve::vault {

/// Row `i` of a result selected with kLogColumns (activity_query.hpp) →
/// `{id, created_at, timestamp (= created_at), action, key_id, key_name,
/// provider (of the key, while it exists), token_id, actor_kind, actor_id,
/// client, source_ip, country, status, status_code (= status), latency_ms,
/// detail, forward_path}`; times ISO 8601 UTC, absent values null. These are
/// the names `apilocker activity` / `doctor` print: `forward_path` is the
/// upstream path of a proxy call and, for other actions, a short summary such
/// as "key.reveal OPENAI_API_KEY", so the CLI's PATH column says what happened.
boost::json::object log_json(const async::Rows& rows, std::size_t i);

}  // namespace ve::vault
