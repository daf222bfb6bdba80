#include "worker/oauth/authorize_request.hpp"

#include <algorithm>

#include "worker/auth/pages.hpp"
#include "worker/auth/upstream_http.hpp"
#include "worker/http/reply.hpp"
#include "worker/oauth/params.hpp"
#include "worker/oauth/redirect_uri.hpp"
#include "worker/oauth/scopes.hpp"
#include "worker/oauth/server.hpp"

namespace ve::oauth {

namespace {
constexpr std::size_t kMaxState = 1024;

CheckedRequest page_refusal(const std::string& text) {
  return {std::nullopt, auth::message_page(400, "This app cannot connect",
                                           text + " Nothing was shared. Tell the "
                                                  "app's developer, or connect "
                                                  "again from the app.")};
}
}  // namespace

bool is_pkce_string(std::string_view c) {
  if (c.size() < 43 || c.size() > 128) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
  });
}

std::string redirect_with(const api::Ctx& ctx, std::string redirect_uri,
                          std::vector<std::pair<std::string, std::string>> params,
                          const std::string& state) {
  if (!state.empty()) params.emplace_back("state", state);
  params.emplace_back("iss", issuer(ctx.req));
  return auth::with_query(std::move(redirect_uri), params);
}

async::Task<CheckedRequest> check_authorize_request(api::Ctx& ctx,
                                                    const std::map<std::string, std::string>& q) {
  auto client = co_await resolve_client(ctx, param(q, "client_id"));
  if (!client.ok()) {
    if (client.error().status == 429) {
      http::Response page = auth::error_page(client.error(), "Too many requests");
      page.headers.emplace_back("retry-after", std::to_string(client.error().retry_after_s));
      co_return CheckedRequest{std::nullopt, std::move(page)};
    }
    if (client.error().status >= 500) {
      co_return CheckedRequest{std::nullopt, auth::error_page(client.error(), "Try again")};
    }
    co_return page_refusal(client.error().message + ".");
  }
  std::string redirect_uri = param(q, "redirect_uri");
  if (redirect_uri.empty() && client.value().redirect_uris.size() == 1) {
    redirect_uri = client.value().redirect_uris.front();
  }
  if (redirect_uri.empty()) {
    co_return page_refusal("The request names no redirect_uri, and the app registered several.");
  }
  if (!redirect_uri_allowed(client.value().redirect_uris, redirect_uri)) {
    co_return page_refusal("The request's redirect_uri (" + redirect_display(redirect_uri) +
                           ") is not one that the app " + client.value().name.substr(0, 100) +
                           " registered, so this server will not send anything there.");
  }

  const std::string state = param(q, "state");
  auto refuse = [&](std::string code, std::string description) {
    return CheckedRequest{
        std::nullopt,
        http::see_other(redirect_with(
            ctx, redirect_uri,
            {{"error", std::move(code)}, {"error_description", std::move(description)}},
            state.size() <= kMaxState ? state : std::string()))};
  };
  if (state.size() > kMaxState)
    co_return refuse("invalid_request", "state is longer than 1024 bytes");
  if (param(q, "response_type") != "code") {
    co_return refuse("unsupported_response_type",
                     "response_type must be \"code\" (the authorization code flow with PKCE)");
  }
  const std::string challenge = param(q, "code_challenge");
  if (challenge.empty()) {
    co_return refuse("invalid_request",
                     "code_challenge is required: PKCE (RFC 7636) with method S256");
  }
  if (param(q, "code_challenge_method") != "S256") {
    co_return refuse("invalid_request",
                     "code_challenge_method must be S256; plain (or none) is not accepted");
  }
  if (!is_pkce_string(challenge)) {
    co_return refuse("invalid_request",
                     "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ "
                     "(base64url of a SHA-256 digest)");
  }
  std::string resource = param(q, "resource");
  const std::string ours = mcp_resource(ctx.req);
  if (resource.empty() || resource == ours + "/") resource = ours;
  if (resource != ours) {
    co_return refuse("invalid_target",
                     "this server issues tokens only for the resource " + ours + " (RFC 8707)");
  }
  auto scopes = parse_scope(param(q, "scope"));
  if (!scopes.ok()) co_return refuse("invalid_scope", scopes.error().message);

  co_return CheckedRequest{
      AuthorizeRequest{std::move(client.value()), std::move(redirect_uri), state, challenge,
                       std::move(resource), std::move(scopes.value())},
      {}};
}

}  // namespace ve::oauth
