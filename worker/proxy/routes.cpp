// REST entries of the proxy (docs/proxy.md "The proxy"):
//   POST /v1/proxy/:keyId        upstream path (+ query) in X-Locker-Forward-Path
//                                (API Locker's contract)
//   *    /v1/proxy/:keyId/<path> the rest of the path and the raw query string
// A bearer token only (Access::token): never the browser session, which a
// cross-site link would carry; forward() checks what the token may use. The
// answer is the upstream's status, filtered headers and scrubbed raw body,
// plus `X-Locker-Redacted: N` when N > 0, served so that no browser renders it
// as a page of our origin (sandbox CSP, nosniff, attachment); errors before or
// instead of the upstream's answer are REST errors (http::error).
#include <string>
#include <string_view>
#include <vector>

#include "worker/api/route.hpp"
#include "worker/http/reply.hpp"
#include "worker/proxy/forward.hpp"

namespace ve::proxy {

namespace {

http::Response reply_of(ProxyResponse r) {
  http::Response out;
  out.status = r.status;
  for (auto& [name, value] : r.headers) {
    if (name == "cache-control") continue;  // a vault's responses are never cached
    out.headers.emplace_back(std::move(name), std::move(value));
  }
  out.headers.emplace_back("cache-control", "no-store");
  // Bytes from elsewhere on our origin: an HTML or SVG answer must never run
  // script here, where it could call the vault with the user's cookie.
  out.headers.emplace_back("content-security-policy", "sandbox; default-src 'none'");
  out.headers.emplace_back("x-content-type-options", "nosniff");
  out.headers.emplace_back("content-disposition", "attachment");
  if (r.redacted > 0) out.headers.emplace_back("x-locker-redacted", std::to_string(r.redacted));
  out.body = std::move(r.body);
  return out;
}

async::Task<http::Response> run(api::Ctx& ctx, std::string path) {
  ProxyRequest request{ctx.req.method, std::move(path), ctx.req.headers, ctx.req.body};
  const std::string key_ref = ctx.params.empty() ? std::string() : ctx.params[0];
  auto r = co_await forward(ctx, key_ref, std::move(request));
  if (!r.ok()) co_return http::error(r.error());
  co_return reply_of(std::move(r.value()));
}

/// POST /v1/proxy/:keyId
async::Task<http::Response> proxy_by_header(api::Ctx& ctx) {
  auto path = ctx.req.header("x-locker-forward-path");
  if (!path || path->empty()) {
    co_return http::error(bad_request(
        "header X-Locker-Forward-Path is required: the upstream path (and query) to call on the "
        "key's base URL, e.g. X-Locker-Forward-Path: /v1/models; or call "
        "/v1/proxy/<key>/<path> instead",
        "missing_forward_path"));
  }
  co_return co_await run(ctx, std::string(*path));
}

/// * /v1/proxy/:keyId/* — the raw (still percent-encoded) rest of the path and
/// the raw query string, exactly as the caller wrote them.
async::Task<http::Response> proxy_by_path(api::Ctx& ctx) {
  constexpr std::string_view kPrefix = "/v1/proxy/";
  std::string_view raw = ctx.req.path;
  raw.remove_prefix(std::min(raw.size(), kPrefix.size()));
  const auto slash = raw.find('/');
  std::string path(slash == std::string_view::npos ? std::string_view("/") : raw.substr(slash));
  std::string_view url = ctx.req.url;
  url = url.substr(0, url.find('#'));
  if (const auto q = url.find('?'); q != std::string_view::npos) path.append(url.substr(q));
  co_return co_await run(ctx, std::move(path));
}

}  // namespace

std::vector<api::Route> routes() {
  return {
      {"POST", "/v1/proxy/:keyId", api::Access::token, &proxy_by_header},
      {"*", "/v1/proxy/:keyId/*", api::Access::token, &proxy_by_path},
  };
}

}  // namespace ve::proxy
