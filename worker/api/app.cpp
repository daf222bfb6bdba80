#include "worker/api/app.hpp"

#include <boost/json.hpp>

#include "worker/api/domains.hpp"
#include "worker/api/route.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/csrf.hpp"
#include "worker/http/cors.hpp"
#include "worker/json/json.hpp"
#include "worker/maintenance/purge.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"
#include "worker/util/time.hpp"

namespace ve::api {

namespace {

const std::vector<Route>& route_table() {
  static const std::vector<Route> table = [] {
    std::vector<Route> all;
    for (auto* domain : kDomains) {
      auto part = domain();
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }();
  return table;
}

/// Matches `path` against `pattern`; fills decoded `:x` / `*` segments.
bool match(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  while (true) {
    if (pattern.empty() || path.empty()) return pattern.empty() && path.empty();
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    auto pe = pattern.find('/');
    auto seg_pattern = pattern.substr(0, pe);
    if (seg_pattern == "*") {
      params.push_back(http::url_decode(path, false));
      return true;
    }
    auto se = path.find('/');
    auto segment = path.substr(0, se);
    if (!seg_pattern.empty() && seg_pattern.front() == ':') {
      if (segment.empty()) return false;
      params.push_back(http::url_decode(segment, false));
    } else if (seg_pattern != segment) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view() : path.substr(se);
  }
}

/// The per-request log line's fields (never a secret, a body or an argument).
boost::json::object log_fields(const Ctx& ctx, int status) {
  boost::json::object o;
  o["method"] = ctx.req.method;
  o["route"] = ctx.route.empty() ? std::string("(none)") : ctx.route;
  o["status"] = status;
  o["latency_ms"] = util::now_ms() - ctx.started_ms;
  o["principal"] = auth::kind_name(ctx.principal.kind);
  const auto& trips = ctx.io.round_trips();
  o["d1"] = trips.d1;
  o["kv"] = trips.kv;
  if (trips.fetch != 0) o["fetch"] = trips.fetch;
  return o;
}

/// The line for a request that ended with `status`, or "" when LOG_REQUESTS
/// does not want it (config.hpp RequestLog).
std::string log_line(const Ctx& ctx, int status) {
  if (!ctx.config.request_log.wants(status)) return {};
  return json::dump(log_fields(ctx, status));
}

async::Task<Result<void>> authorize(Ctx& ctx, Access access) {
  switch (access) {
    case Access::open:
      co_return Result<void>();
    case Access::session: {
      auto s = co_await auth::session_principal(ctx);
      if (!s.ok()) co_return s.error();
      if (s.value()) ctx.principal = std::move(*s.value());
      co_return Result<void>();
    }
    case Access::user:
    case Access::any_bearer:
    case Access::token: {
      if (!ctx.req.header("authorization") && access == Access::token) {
        co_return Error{401, "unauthorized",
                        "this endpoint takes a bearer token (Authorization: Bearer <device master "
                        "token or scoped token>); a browser session cannot use it"};
      }
      // A session cookie also works for the dashboard's own fetches.
      if (!ctx.req.header("authorization")) {
        auto s = co_await auth::session_principal(ctx);
        if (!s.ok()) co_return s.error();
        if (s.value()) {
          // The cookie rides along on cross-site requests too; a JSON route
          // has no form field, so an unsafe method must come from our origin
          // AND carry the page's CSRF token in a header (auth/csrf.hpp).
          const auto& m = ctx.req.method;
          if (m != "GET" && m != "HEAD" && m != "OPTIONS") {
            if (!auth::same_origin(ctx.req)) {
              co_return Error{403, "cross_origin",
                              "cross-site request refused: a browser session may change the vault "
                              "only from this site's own pages"};
            }
            if (!auth::csrf_header_valid(ctx.req)) co_return auth::csrf_required();
          }
          ctx.principal = std::move(*s.value());
          co_return Result<void>();
        }
      }
      auto p = co_await auth::authenticate_bearer(ctx);
      if (!p.ok()) co_return p.error();
      ctx.principal = std::move(p.value());
      if (access == Access::user && !ctx.principal.full_access()) {
        co_return Error{403, "forbidden",
                        ctx.principal.kind == auth::Principal::Kind::scoped
                            ? "a scoped token may only list, reveal and proxy its allowed keys; "
                              "this needs a device master token (`apilocker register`) or the "
                              "dashboard"
                            : "this token may not perform this operation"};
      }
      co_return Result<void>();
    }
  }
  co_return Result<void>();
}

async::Task<http::Response> dispatch(Ctx& ctx) {
  bool path_known = false;
  std::vector<std::string_view> cross_origin_methods;
  for (const auto& route : route_table()) {
    if (!match(route.pattern, ctx.req.path, ctx.params)) continue;
    path_known = true;
    if (route.cross_origin) cross_origin_methods.push_back(route.method);
    if (route.method != "*" && route.method != ctx.req.method) continue;
    ctx.route = std::string(route.pattern);
    auto allowed = co_await authorize(ctx, route.access);
    if (!allowed.ok()) co_return http::error(allowed.error());
    http::Response response = co_await route.handler(ctx);
    if (route.cross_origin) http::allow_any_origin(response);
    co_return response;
  }
  if (ctx.req.method == "OPTIONS" && !cross_origin_methods.empty()) {
    ctx.route = "(preflight)";
    co_return http::cors_preflight(cross_origin_methods);
  }
  if (path_known) co_return http::error({405, "method_not_allowed", "method not allowed here"});
  co_return http::error(not_found("no such endpoint: " + ctx.req.method + " " + ctx.req.path));
}

/// A Cron Trigger's run: the retention purge, answered (and logged) with what
/// it removed. No route, no principal: only the `scheduled` export gets here.
async::Task<http::Reply> run_scheduled(Ctx& ctx) {
  ctx.route = "(scheduled)";
  http::Reply reply;
  auto purged = co_await maintenance::purge_expired(ctx.io, ctx.started_ms);
  if (!purged.ok()) {
    reply.response = http::error(purged.error());
    reply.log_line = log_line(ctx, reply.response.status);
    co_return reply;
  }
  boost::json::object counts;
  for (const auto& p : purged.value()) counts[p.table] = p.rows;
  boost::json::object log = log_fields(ctx, 200);
  log["cron"] = ctx.req.cron;
  log["purged"] = counts;
  reply.response = http::json(200, boost::json::object{{"purged", counts}});
  reply.log_line = json::dump(log);
  co_return reply;
}

async::Task<http::Reply> handle(const config::Config* config, async::Io& io, http::Request req) {
  Ctx ctx{*config, io, req, {}, util::now_ms(), {}, {}};
  if (!req.cron.empty()) co_return co_await run_scheduled(ctx);
  http::Reply reply;
  reply.response = co_await dispatch(ctx);
  if (reply.response.status == 401 &&
      !http::find_header(reply.response.headers, "www-authenticate")) {
    // RFC 9728 §5.1: every 401 points MCP clients at the resource metadata,
    // which names our authorization server; RFC 6750 §3.1: error only when a
    // token was presented.
    const bool presented = req.header("authorization").has_value();
    reply.response.headers.emplace_back(
        "www-authenticate",
        oauth::bearer_challenge(req, oauth::kDefaultScope, presented ? "invalid_token" : ""));
  }
  reply.log_line = log_line(ctx, reply.response.status);
  co_return reply;
}

}  // namespace

async::Handler make_handler(const config::Config& config) {
  const config::Config* c = &config;
  return [c](async::Io& io, http::Request req) { return handle(c, io, std::move(req)); };
}

}  // namespace ve::api
