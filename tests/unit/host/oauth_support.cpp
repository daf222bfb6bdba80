#include "tests/unit/host/oauth_support.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/vault_fixture.hpp"
#include "worker/api/app.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/auth/pkce.hpp"
#include "worker/http/message.hpp"

namespace ve::test::oauth {

namespace bj = boost::json;

namespace {
[[noreturn]] void fail(const char* what, const http::Response& r) {
  std::fprintf(stderr, "%s: %d %s\n", what, r.status, r.body.c_str());
  std::abort();
}

http::Request form_post(const std::string& path, std::string body) {
  http::Request req;
  req.method = "POST";
  req.url = std::string(kOrigin) + path;
  req.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  req.body = std::move(body);
  req.client_ip = "127.0.0.1";
  if (!http::parse_url(req.url, req)) std::abort();
  return req;
}
}  // namespace

SignedIn::SignedIn(const std::string& email) : host(make_runner()), browser(host) {
  browser.dev_sign_in(email);
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

Pkce new_pkce() {
  Pkce p;
  p.verifier = auth::pkce_verifier();
  p.challenge = auth::pkce_challenge(p.verifier);
  if (p.verifier.empty()) std::abort();
  return p;
}

http::Response register_raw(host::HostRunner& host, const bj::object& metadata) {
  return post_json(host, "/oauth/register", bj::serialize(metadata));
}

std::string register_client(host::HostRunner& host, const std::string& name,
                            const std::vector<std::string>& redirect_uris) {
  bj::array uris;
  for (const auto& u : redirect_uris) uris.emplace_back(u);
  auto r = register_raw(host, {{"client_name", name}, {"redirect_uris", std::move(uris)}});
  if (r.status != 201) fail("register", r);
  return std::string(bj::parse(r.body).at("client_id").as_string());
}

std::string authorize_path(const AuthorizeParams& p) {
  std::vector<std::pair<std::string, std::string>> q;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) q.emplace_back(k, v);
  };
  add("response_type", p.response_type);
  add("client_id", p.client_id);
  add("redirect_uri", p.redirect_uri);
  add("code_challenge", p.challenge);
  add("code_challenge_method", p.method);
  add("scope", p.scope);
  add("state", p.state);
  add("resource", p.resource);
  return "/oauth/authorize?" + form(q);
}

Consent open_consent(Browser& browser, const std::string& path) {
  Consent c;
  c.page = browser.get(path);
  c.request = hidden_value(c.page.body, "request").value_or("");
  c.csrf = hidden_value(c.page.body, "csrf").value_or("");
  return c;
}

Consent consent_for(Browser& browser, const std::string& client_id, const std::string& challenge) {
  return open_consent(
      browser, authorize_path({.client_id = client_id,
                               .challenge = challenge.empty() ? new_pkce().challenge : challenge}));
}

http::Response answer(Browser& browser, const Consent& consent, const std::string& decision,
                      const std::vector<std::string>& ticked, const std::string* csrf) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"request", consent.request}, {"csrf", csrf ? *csrf : consent.csrf}, {"decision", decision}};
  for (const auto& s : ticked) {
    if (consent.page.body.find("name=\"grant:" + s + "\"") != std::string::npos) {
      fields.emplace_back("grant:" + s, "yes");
    }
  }
  return browser.post_form("/oauth/authorize", form(fields));
}

std::string client_redirect(const http::Response& r, const std::string& redirect_uri,
                            const std::string& state) {
  REQUIRE(r.status == 303);
  std::string location = header(r, "location");
  CHECK(starts_with(location, redirect_uri + "?"));
  CHECK(query_param(location, "state") == state);
  CHECK(query_param(location, "iss") == kOrigin);
  return location;
}

http::Response token_request(host::HostRunner& host,
                             const std::vector<std::pair<std::string, std::string>>& fields) {
  return host.request("POST", std::string(kOrigin) + "/oauth/token", form(fields),
                      {{"content-type", "application/x-www-form-urlencoded"}});
}

http::Response exchange(host::HostRunner& host, const std::string& client_id,
                        const std::string& code, const std::string& verifier) {
  return token_request(host, {{"grant_type", "authorization_code"},
                              {"code", code},
                              {"redirect_uri", kRedirect},
                              {"code_verifier", verifier},
                              {"client_id", client_id}});
}

http::Response refresh(host::HostRunner& host, const std::string& client_id,
                       const std::string& refresh_token, const std::string& scope) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"grant_type", "refresh_token"}, {"refresh_token", refresh_token}, {"client_id", client_id}};
  if (!scope.empty()) fields.emplace_back("scope", scope);
  return token_request(host, fields);
}

http::Response revoke(host::HostRunner& host, const std::string& token, const std::string& hint) {
  std::vector<std::pair<std::string, std::string>> fields{{"token", token}};
  if (!hint.empty()) fields.emplace_back("token_type_hint", hint);
  return host.request("POST", std::string(kOrigin) + "/oauth/revoke", form(fields),
                      {{"content-type", "application/x-www-form-urlencoded"}});
}

Tokens tokens_of(const http::Response& r) {
  if (r.status != 200) fail("token endpoint", r);
  auto o = bj::parse(r.body).as_object();
  return {std::string(o.at("access_token").as_string()),
          std::string(o.at("refresh_token").as_string()), std::string(o.at("scope").as_string())};
}

std::string oauth_error(const http::Response& r) {
  boost::system::error_code ec;
  auto v = bj::parse(r.body, ec);
  if (ec || !v.is_object()) return "<none>";
  const auto* e = v.as_object().if_contains("error");
  return e && e->is_string() ? std::string(e->as_string()) : "<none>";
}

std::string approve_code(Browser& browser, const std::string& client_id, const Pkce& pkce,
                         const std::string& scope, const std::vector<std::string>& ticked) {
  auto consent = open_consent(
      browser,
      authorize_path({.client_id = client_id, .challenge = pkce.challenge, .scope = scope}));
  if (consent.request.empty()) fail("consent page", consent.page);
  auto r = answer(browser, consent, "approve", ticked);
  std::string code = query_param(header(r, "location"), "code");
  if (r.status != 303 || code.empty()) fail("consent answer", r);
  return code;
}

Connection connect(host::HostRunner& host, Browser& browser, const std::string& scope,
                   const std::vector<std::string>& ticked, std::string client_id) {
  Connection c;
  c.client_id = client_id.empty() ? register_client(host) : std::move(client_id);
  c.pkce = new_pkce();
  c.code = approve_code(browser, c.client_id, c.pkce, scope, ticked);
  c.tokens = tokens_of(exchange(host, c.client_id, c.code, c.pkce.verifier));
  c.grant_id = grant_of_code(host, c.code);
  return c;
}

http::Response mcp(host::HostRunner& host, const std::string& access, const bj::object& message) {
  return host.request("POST", kResource, bj::serialize(message),
                      {{"authorization", "Bearer " + access},
                       {"content-type", "application/json"},
                       {"accept", "application/json, text/event-stream"},
                       {"mcp-protocol-version", "2025-11-25"}});
}

int list_keys_status(host::HostRunner& host, const std::string& access) {
  return mcp(host, access, tool_call("list_keys")).status;
}

bj::object tool_call(const std::string& name, bj::object args) {
  return {{"jsonrpc", "2.0"},
          {"id", 1},
          {"method", "tools/call"},
          {"params", bj::object{{"name", name}, {"arguments", std::move(args)}}}};
}

std::vector<http::Response> post_forms_interleaved(host::HostRunner& host, const std::string& path,
                                                   const std::vector<std::string>& bodies) {
  std::vector<http::Request> requests;
  requests.reserve(bodies.size());
  for (const auto& b : bodies) requests.push_back(form_post(path, b));
  return run_requests_interleaved(host, std::move(requests));
}

std::string grant_of_code(host::HostRunner& host, const std::string& code) {
  return sql_text(host, "SELECT grant_id FROM oauth_codes WHERE code_hash = '" +
                            auth::credential_hash(code) + "'");
}

long long count(host::HostRunner& host, const std::string& table, const std::string& where) {
  return sql_int(host, "SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where));
}

std::string user_id_of(host::HostRunner& host, const std::string& email) {
  return sql_text(host, "SELECT id FROM users WHERE email = '" + email + "'");
}

}  // namespace ve::test::oauth
