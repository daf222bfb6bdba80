// Route handlers of the vault domain (the route table is in routes.cpp). All
// key routes need a full-access principal (Access::user); every query is keyed
// by ctx.principal.user_id. Errors are `{"error": message, "code": code}`.
#pragma once
#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"

namespace ve::vault {

/// GET /v1/providers (open): the provider catalog.
async::Task<http::Response> list_providers(api::Ctx& ctx);

/// POST /v1/keys: store a new key (version 1) → 201 {id, name, provider,
/// credential_type, category, proxy_endpoint, …}; 409 when the name is taken.
async::Task<http::Response> create_key(api::Ctx& ctx);
/// GET /v1/keys → {keys: [...]}.
async::Task<http::Response> list_keys(api::Ctx& ctx);
/// GET /v1/keys/:idOrName → metadata, old names and versions; never a value.
async::Task<http::Response> get_key(api::Ctx& ctx);

/// POST /v1/keys/:idOrName/rotate: a new current version; the old one becomes previous.
async::Task<http::Response> rotate_key(api::Ctx& ctx);
/// POST /v1/keys/:idOrName/rename {new_name}: the old name keeps resolving.
async::Task<http::Response> rename_key(api::Ctx& ctx);
/// POST /v1/keys/:idOrName/pause: block proxy use (409 when already paused).
async::Task<http::Response> pause_key(api::Ctx& ctx);
/// POST /v1/keys/:idOrName/resume (409 when not paused).
async::Task<http::Response> resume_key(api::Ctx& ctx);
/// DELETE /v1/keys/:idOrName: the key, its versions and old names; then its blobs.
async::Task<http::Response> delete_key(api::Ctx& ctx);

/// POST /v1/keys/reveal {keys: [1..50 names or ids]} → {keys: [...], missing: [...]}.
async::Task<http::Response> reveal_keys(api::Ctx& ctx);

/// GET /v1/activity?limit&<filters> → {logs: [...], latest_id, next_before}
/// newest first (filters and cursors: activity_query.hpp, docs/rest.md).
async::Task<http::Response> list_activity(api::Ctx& ctx);
/// GET /v1/activity/export?format=csv|jsonl&<filters> → an attachment, oldest
/// first, at most 10 000 rows (400 range_too_large beyond).
async::Task<http::Response> export_activity(api::Ctx& ctx);
/// GET /v1/activity/stats?days=30 → per-UTC-day counts by key and by app.
async::Task<http::Response> activity_stats(api::Ctx& ctx);

}  // namespace ve::vault
