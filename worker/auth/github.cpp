#include "worker/auth/github.hpp"

namespace ve::auth {

namespace bj = boost::json;

namespace {
constexpr const char* kUserApi = "https://api.github.com/user";
constexpr const char* kEmailsApi = "https://api.github.com/user/emails";

Error upstream_error(std::string message) {
  return {502, "upstream_error", std::move(message)};
}

async::FetchRequest api_get(std::string url, const std::string& access_token) {
  async::FetchRequest req;
  req.url = std::move(url);
  req.headers = {{"authorization", "Bearer " + access_token},
                 {"accept", "application/vnd.github+json"},
                 {"x-github-api-version", "2022-11-28"},
                 {"user-agent", "vaultedge"}};  // GitHub's API refuses requests without one
  return req;
}
}  // namespace

Endpoints github_endpoints() {
  return {"https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token",
          kUserApi, ClientAuth::post};
}

async::Task<Result<Identity>> github_identity(api::Ctx& ctx, const Provider& provider,
                                              CallbackInput in) {
  const Endpoints ep = github_endpoints();
  auto tokens = co_await exchange_code(ctx, ep.token, provider.client_id, provider.client_secret,
                                       ep.client_auth, in.code, in.verifier, in.redirect_uri,
                                       "GitHub's token endpoint");
  if (!tokens.ok()) co_return tokens.error();
  const std::string access_token = string_member(*tokens, "access_token");

  auto user = co_await fetch_json(ctx, api_get(kUserApi, access_token), "GitHub's user API");
  if (!user.ok()) co_return user.error();
  auto id = user->find("id");
  std::string subject;
  if (id != user->end() && id->value().is_int64()) subject = std::to_string(id->value().as_int64());
  if (id != user->end() && id->value().is_uint64())
    subject = std::to_string(id->value().as_uint64());
  if (subject.empty()) co_return upstream_error("GitHub's user API returned no numeric id");

  // /user/emails is an array, so fetch_json (objects only) does not fit here.
  auto emails = co_await ctx.io.fetch(api_get(kEmailsApi, access_token));
  if (!emails.ok()) co_return upstream_error("could not reach GitHub's emails API");
  if (emails->status != 200) {
    co_return upstream_error("GitHub's emails API answered HTTP " + std::to_string(emails->status));
  }
  boost::system::error_code ec;
  bj::value list = bj::parse(emails->body, ec);
  if (ec || !list.is_array()) co_return upstream_error("GitHub's emails API did not return a list");
  std::string email;
  for (const auto& item : list.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    auto primary = o.find("primary");
    auto verified = o.find("verified");
    if (primary != o.end() && primary->value() == true && verified != o.end() &&
        verified->value() == true) {
      email = string_member(o, "email");
    }
  }
  if (email.empty()) {
    co_return Error{403, "email_not_verified",
                    "your GitHub account has no verified primary email: verify one at "
                    "https://github.com/settings/emails, then sign in again"};
  }
  auto normalized = normalized_email(email);
  if (!normalized) co_return upstream_error("GitHub returned an invalid email address");
  co_return Identity{provider.identity, std::move(subject), std::move(*normalized)};
}

}  // namespace ve::auth
