#include "worker/auth/upstream_http.hpp"

#include "worker/crypto/encoding.hpp"
#include "worker/http/message.hpp"

namespace ve::auth {

namespace {
Error upstream_error(std::string message) {
  return {502, "upstream_error", std::move(message)};
}

/// Upstream text quoted in our messages: printable ASCII only, at most 200 bytes.
std::string quoted(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return out;
}

std::string oauth_error_of(const boost::json::object& o) {
  std::string e = string_member(o, "error");
  if (e.empty()) return {};
  std::string d = string_member(o, "error_description");
  return quoted(e) + (d.empty() ? "" : " (" + quoted(d) + ")");
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  if (host.substr(0, 4) != "127.") return false;
  for (char c : host) {
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  return true;
}
}  // namespace

bool allowed_endpoint(const config::Config& config, std::string_view url) {
  std::string_view rest;
  bool https = false;
  if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
    https = true;
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return false;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  if (https) return true;
  std::string_view host = authority;
  if (host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return config.development() && is_loopback_host(host);
}

std::string form_encode(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += http::url_encode(k);
    out += '=';
    out += http::url_encode(v);
  }
  return out;
}

std::string with_query(std::string base, const Params& params) {
  if (params.empty()) return base;
  base += base.find('?') == std::string::npos ? '?' : '&';
  base += form_encode(params);
  return base;
}

std::string string_member(const boost::json::object& o, std::string_view name) {
  auto it = o.find(name);
  if (it == o.end() || !it->value().is_string()) return {};
  return std::string(it->value().as_string());
}

async::Task<Result<boost::json::object>> fetch_json(api::Ctx& ctx, async::FetchRequest request,
                                                    std::string what) {
  auto r = co_await ctx.io.fetch(std::move(request));
  if (!r.ok()) co_return upstream_error("could not reach " + what + ": " + r.error().message);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r->body, ec);
  const bool is_object = !ec && v.is_object();
  if (r->status < 200 || r->status > 299) {
    std::string detail = is_object ? oauth_error_of(v.as_object()) : std::string();
    co_return upstream_error(what + " answered HTTP " + std::to_string(r->status) +
                             (detail.empty() ? "" : ": " + detail));
  }
  if (!is_object) co_return upstream_error(what + " did not answer with a JSON object");
  co_return std::move(v.as_object());
}

async::Task<Result<boost::json::object>> exchange_code(api::Ctx& ctx, std::string token_endpoint,
                                                       std::string client_id,
                                                       std::string client_secret, ClientAuth auth,
                                                       std::string code, std::string verifier,
                                                       std::string redirect_uri, std::string what) {
  Params form = {{"grant_type", "authorization_code"},
                 {"code", std::move(code)},
                 {"redirect_uri", std::move(redirect_uri)},
                 {"code_verifier", std::move(verifier)}};
  async::FetchRequest req;
  req.method = "POST";
  req.url = std::move(token_endpoint);
  req.headers = {{"content-type", "application/x-www-form-urlencoded"},
                 {"accept", "application/json"},
                 {"user-agent", "vaultedge"}};
  if (auth == ClientAuth::basic && !client_secret.empty()) {
    // RFC 6749 §2.3.1: both parts form-urlencoded, then HTTP Basic.
    req.headers.emplace_back("authorization",
                             "Basic " + crypto::base64_encode(http::url_encode(client_id) + ":" +
                                                              http::url_encode(client_secret)));
  } else {
    form.emplace_back("client_id", client_id);
    if (!client_secret.empty()) form.emplace_back("client_secret", client_secret);
  }
  req.body = form_encode(form);
  auto tokens = co_await fetch_json(ctx, std::move(req), what);
  if (!tokens.ok()) co_return tokens.error();
  if (auto e = oauth_error_of(*tokens); !e.empty()) {
    co_return upstream_error(what + " refused the sign-in code: " + e);
  }
  if (string_member(*tokens, "access_token").empty()) {
    co_return upstream_error(what + " returned no access_token");
  }
  co_return std::move(tokens.value());
}

}  // namespace ve::auth
