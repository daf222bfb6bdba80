#include "worker/oauth/clients.hpp"

#include <algorithm>

#include "worker/http/message.hpp"
#include "worker/json/json.hpp"
#include "worker/oauth/document_cache.hpp"
#include "worker/oauth/freshness.hpp"
#include "worker/oauth/json_members.hpp"
#include "worker/oauth/redirect_uri.hpp"
#include "worker/oauth/uri.hpp"
#include "worker/ratelimit/limit.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::oauth {

namespace bj = boost::json;

namespace {
constexpr std::size_t kMaxRedirectUris = 10;
constexpr std::size_t kMaxName = 100;
constexpr std::uint32_t kDocumentTimeoutMs = 5000;
constexpr std::uint32_t kDocumentMaxBytes = 16 * 1024;
constexpr std::string_view kDefaultName = "Unnamed client";

Error invalid_metadata(std::string message) {
  return bad_request(std::move(message), "invalid_client_metadata");
}
Error invalid_client(std::string message) {
  return bad_request(std::move(message), "invalid_client");
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Optional https URI member (client_uri, logo_uri): "" when absent.
Result<std::string> optional_https(const bj::object& o, std::string_view field) {
  auto v = json::optional_string(o, field, 2048);
  if (!v.ok()) return invalid_metadata(v.error().message);
  if (!v.value()) return std::string();
  auto u = parse_uri(*v.value());
  if (!u || u->scheme != "https" || u->host.empty()) {
    return invalid_metadata(std::string(field) + " must be an https URI");
  }
  return *v.value();
}

/// Checks that an optional string array holds only values from `allowed`.
Result<void> subset_of(const bj::object& o, std::string_view field,
                       std::initializer_list<std::string_view> allowed) {
  auto v = json::optional_string_array(o, field, 10, 64);
  if (!v.ok()) return invalid_metadata(v.error().message);
  if (!v.value()) return {};
  for (const auto& item : *v.value()) {
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return invalid_metadata(std::string(field) + " may contain only " + list + ", not '" +
                              item.substr(0, 64) + "'");
    }
  }
  return {};
}

Result<std::vector<std::string>> redirect_uris_of(const bj::object& o) {
  const auto* v = o.if_contains("redirect_uris");
  if (v == nullptr || !v->is_array() || v->as_array().empty()) {
    return bad_request("redirect_uris is required: a non-empty array of redirect URIs",
                       "invalid_redirect_uri");
  }
  if (v->as_array().size() > kMaxRedirectUris) {
    return bad_request("at most 10 redirect_uris may be registered", "invalid_redirect_uri");
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      return bad_request("redirect_uris must contain strings", "invalid_redirect_uri");
    }
    std::string uri(item.as_string());
    if (auto problem = redirect_uri_problem(uri)) {
      return bad_request(*problem, "invalid_redirect_uri");
    }
    out.push_back(std::move(uri));
  }
  return out;
}

async::Task<Result<Client>> registered_client(api::Ctx& ctx, const std::string& client_id) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT id, client_name, client_uri, logo_uri, redirect_uris FROM "
       "oauth_clients WHERE id = ?1",
       {client_id}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  if (rows.value()[0].rows.empty()) {
    co_return invalid_client("unknown client_id '" + client_id.substr(0, 100) +
                             "': register the client first (RFC 7591, POST /oauth/register) "
                             "or use a Client ID Metadata Document URL");
  }
  co_return client_from_row(rows.value()[0]);
}

async::Task<Result<Client>> document_client(api::Ctx& ctx, const std::string& url) {
  if (auto problem = metadata_url_problem(ctx.config, url)) {
    co_return invalid_client("client_id " + *problem);
  }
  auto cached = co_await cached_document(ctx, url);
  if (!cached.ok()) co_return cached.error();
  if (cached.value()) co_return std::move(*cached.value());
  // Each fetch is made to a URL the requester chose, so fetches are counted
  // per client address (429 past the limit, before any connection is made).
  auto counted = co_await ratelimit::consume_per_address(ctx, ratelimit::Endpoint::client_metadata);
  if (!counted.ok()) co_return counted.error();
  async::FetchRequest req;
  req.url = url;
  req.headers = {{"accept", "application/json"}};
  req.timeout_ms = kDocumentTimeoutMs;
  req.max_response_bytes = kDocumentMaxBytes;
  auto fetched = co_await ctx.io.fetch(std::move(req));
  const std::string where = "the client metadata document at " + url.substr(0, 200);
  if (!fetched.ok()) {
    co_return invalid_client(where + " could not be fetched (" + fetched.error().message + ")");
  }
  if (fetched.value().status != 200) {
    co_return invalid_client(where + " answered HTTP " + std::to_string(fetched.value().status) +
                             " (expected 200 with the JSON document; redirects are not followed)");
  }
  if (auto name = repeated_member(fetched.value().body)) {
    co_return invalid_client(where + " gives the member '" + *name + "' more than once");
  }
  boost::system::error_code ec;
  auto doc = bj::parse(fetched.value().body, ec);
  if (ec || !doc.is_object()) co_return invalid_client(where + " is not a JSON object");
  const auto* id = doc.as_object().if_contains("client_id");
  if (id == nullptr || !id->is_string() || id->as_string() != url) {
    co_return invalid_client(where + " must contain \"client_id\" equal to its own URL");
  }
  auto client = client_from_metadata(doc.as_object(), true);
  if (!client.ok()) co_return invalid_client(where + ": " + client.error().message);
  client.value().id = url;
  const std::int64_t lifetime = document_lifetime_ms(fetched.value().headers, util::now_ms());
  // A failed store only costs a fetch next time: the authorization goes on.
  if (lifetime > 0) (void)co_await store_document(ctx, client.value(), lifetime);
  co_return client;
}
}  // namespace

Client client_from_row(const async::Rows& r) {
  Client c;
  c.id = store::text_or_empty(r, 0, "id");
  c.name = store::text_or_empty(r, 0, "client_name");
  c.client_uri = store::text(r, 0, "client_uri").value_or("");
  c.logo_uri = store::text(r, 0, "logo_uri").value_or("");
  boost::system::error_code ec;
  auto uris = bj::parse(store::text_or_empty(r, 0, "redirect_uris"), ec);
  if (!ec && uris.is_array()) {
    for (const auto& u : uris.as_array()) {
      if (u.is_string()) c.redirect_uris.emplace_back(u.as_string());
    }
  }
  return c;
}

Result<Client> client_from_metadata(const bj::object& o, bool from_document) {
  Client c;
  c.from_document = from_document;
  auto uris = redirect_uris_of(o);
  if (!uris.ok()) return uris.error();
  c.redirect_uris = std::move(uris.value());
  auto method = json::optional_string(o, "token_endpoint_auth_method", 64);
  if (!method.ok()) return invalid_metadata(method.error().message);
  if (from_document && method.value() && *method.value() != "none") {
    return invalid_metadata(
        "token_endpoint_auth_method must be \"none\": this server has public clients only "
        "(PKCE, no client secret)");
  }
  if (auto g = subset_of(o, "grant_types", {"authorization_code", "refresh_token"}); !g.ok()) {
    return g.error();
  }
  if (auto r = subset_of(o, "response_types", {"code"}); !r.ok()) return r.error();
  auto name = json::optional_string(o, "client_name", kMaxName);
  if (!name.ok()) return invalid_metadata(name.error().message);
  c.name = name.value().value_or(std::string(kDefaultName));
  auto client_uri = optional_https(o, "client_uri");
  if (!client_uri.ok()) return client_uri.error();
  c.client_uri = std::move(client_uri.value());
  auto logo_uri = optional_https(o, "logo_uri");
  if (!logo_uri.ok()) return logo_uri.error();
  c.logo_uri = std::move(logo_uri.value());
  for (auto [field, out] : {std::pair{"software_id", &c.software_id},
                            std::pair{"software_version", &c.software_version}}) {
    auto v = json::optional_string(o, field, 200);
    if (!v.ok()) return invalid_metadata(v.error().message);
    *out = v.value().value_or("");
  }
  return c;
}

bool is_metadata_url(std::string_view client_id) {
  return client_id.substr(0, 8) == "https://" || client_id.substr(0, 7) == "http://";
}

std::optional<std::string> metadata_url_problem(const config::Config& config,
                                                std::string_view url) {
  auto u = parse_uri(url);
  if (!u) return "is not a valid URL";
  if (u->has_userinfo || u->has_query || u->has_fragment) {
    return "must be a URL without user:password@, query or fragment";
  }
  if (u->path.empty() || u->path == "/") return "must be a URL with a path (e.g. /client.json)";
  if (u->scheme == "http" && config.development() && http::is_loopback_authority(u->host)) {
    return std::nullopt;
  }
  if (u->scheme != "https") return "must be an https URL";
  // A DNS name in letters, digits and hyphens (IDNs arrive as xn--), so no
  // percent-encoding or other spelling can hide an address; one trailing dot
  // (the root) is ignored for the checks below.
  std::string_view h = u->host;
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);
  const bool ldh = !h.empty() && std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
  if (!ldh || h.front() == '.' || h.find("..") != std::string_view::npos) {
    return "must name its host by a DNS name (letters, digits, hyphens and dots)";
  }
  if (is_ip_literal(h)) {
    return "must name its host by DNS name: IP addresses are refused (private and loopback "
           "networks are never fetched)";
  }
  if (h == "localhost" || ends_with(h, ".localhost") || ends_with(h, ".local") ||
      ends_with(h, ".internal")) {
    return "must not point at a local or internal host name";
  }
  return std::nullopt;
}

async::Task<Result<Client>> resolve_client(api::Ctx& ctx, const std::string& client_id) {
  if (client_id.empty()) co_return invalid_client("client_id is required");
  if (is_metadata_url(client_id)) co_return co_await document_client(ctx, client_id);
  co_return co_await registered_client(ctx, client_id);
}

}  // namespace ve::oauth
