// RFC 7591 dynamic client registration for public clients (PKCE, no secret).
// Anyone may register; a registration grants nothing until a user approves
// the client on the consent page, which shows its self-declared name as such.
#include <boost/json.hpp>

#include "worker/http/reply.hpp"
#include "worker/json/json.hpp"
#include "worker/oauth/clients.hpp"
#include "worker/oauth/handlers.hpp"
#include "worker/oauth/json_members.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"
#include "worker/store/ids.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth::handlers {

namespace bj = boost::json;

Handler register_client(Ctx& ctx) {
  if (auto refused = co_await over_limit(ctx, ratelimit::Endpoint::registration)) {
    co_return std::move(*refused);
  }
  if (auto name = repeated_member(ctx.req.body)) {
    co_return error_response(400, "invalid_client_metadata",
                             "member '" + *name +
                                 "' appears more than once in the client metadata; each may be "
                                 "given once (RFC 7591 §2, RFC 8259 §4)");
  }
  auto body = json::parse_object(ctx.req.body);
  if (!body.ok()) {
    co_return error_response(400, "invalid_client_metadata",
                             "the body must be a JSON object of client metadata (RFC 7591 §2)");
  }
  auto client = client_from_metadata(body.value(), false);
  if (!client.ok()) {
    co_return error_response(400, client.error().code, client.error().message);
  }
  std::string scope;
  if (auto s = json::optional_string(body.value(), "scope", 1024); s.ok() && s.value()) {
    auto parsed = parse_scope(*s.value());
    if (!parsed.ok())
      co_return error_response(400, "invalid_client_metadata", parsed.error().message);
    scope = join_scopes(parsed.value());
  }
  Client& c = client.value();
  c.id = store::new_id("vc_");
  const std::int64_t now = util::now_ms();
  bj::array uris;
  for (const auto& u : c.redirect_uris) uris.emplace_back(u);
  auto opt = [](const std::string& v) {
    return store::nullable(v.empty() ? std::nullopt : std::optional(v));
  };
  std::vector<async::Statement> batch;
  batch.push_back(
      {"INSERT INTO oauth_clients (id, client_name, client_uri, logo_uri, "
       "redirect_uris, software_id, software_version, created_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
       {c.id, c.name, opt(c.client_uri), opt(c.logo_uri), json::dump(uris), opt(c.software_id),
        opt(c.software_version), now}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return http::error(rows.error());

  bj::object out{{"client_id", c.id},
                 {"client_id_issued_at", now / 1000},
                 {"client_name", c.name},
                 {"redirect_uris", std::move(uris)},
                 {"grant_types", bj::array{"authorization_code", "refresh_token"}},
                 {"response_types", bj::array{"code"}},
                 {"token_endpoint_auth_method", "none"}};
  if (!c.client_uri.empty()) out["client_uri"] = c.client_uri;
  if (!c.logo_uri.empty()) out["logo_uri"] = c.logo_uri;
  if (!c.software_id.empty()) out["software_id"] = c.software_id;
  if (!c.software_version.empty()) out["software_version"] = c.software_version;
  if (!scope.empty()) out["scope"] = scope;
  co_return http::json(201, out);
}

}  // namespace ve::oauth::handlers
