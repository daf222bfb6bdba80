// OAuth clients: RFC 7591 registrations (stored in D1) and Client ID Metadata
// Documents (fetched; MCP 2025-11-25 "Client ID Metadata Documents",
// draft-ietf-oauth-client-id-metadata-document). docs/oauth.md "Clients".
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "worker/api/context.hpp"
#include "worker/async/effect.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::oauth {

/// A client as the authorization endpoint sees it.
struct Client {
  std::string id;          ///< client_id: `vc_…` or the document's https URL
  std::string name;        ///< client_name, self-declared (a default when absent)
  std::string client_uri;  ///< self-declared homepage, may be ""
  std::string logo_uri;    ///< self-declared https logo, may be ""
  std::vector<std::string> redirect_uris;
  std::string software_id, software_version;
  bool from_document = false;  ///< true for a Client ID Metadata Document
};

/// The client in row 0 of `r`, whose columns are `id`, `client_name`,
/// `client_uri`, `logo_uri` (NULL → "") and `redirect_uris` (a JSON array of
/// strings; anything else → none). The other fields keep their defaults.
Client client_from_row(const async::Rows& r);

/// Validates client metadata (RFC 7591 §2) from a registration request or a
/// metadata document: `redirect_uris` (1–10, each allowed by
/// redirect_uri_problem), `token_endpoint_auth_method` (only "none" is kept;
/// for a document anything else is an error, a registration is answered with
/// "none" per RFC 7591 §3.2.1), `grant_types` ⊆ {authorization_code,
/// refresh_token}, `response_types` ⊆ {code}, `client_name` ≤ 100 bytes,
/// `client_uri` / `logo_uri` https URIs. Errors 400 with the RFC 7591 §3.2.2
/// codes `invalid_redirect_uri` / `invalid_client_metadata` and a message
/// naming the field.
Result<Client> client_from_metadata(const boost::json::object& metadata, bool from_document);

/// Why `url` may not be fetched as a Client ID Metadata Document, or nullopt:
/// it must be https with a path other than "/", no userinfo, query or
/// fragment, and a host that is a DNS name — not an IP literal in any form,
/// not `localhost` or a `.localhost` / `.local` / `.internal` name. Only when
/// config.development(): http://<loopback>[:port]/path too, so tests can serve
/// documents from 127.0.0.1.
std::optional<std::string> metadata_url_problem(const config::Config& config, std::string_view url);

/// True when `client_id` has the shape of a metadata-document URL (http(s)://…).
bool is_metadata_url(std::string_view client_id);

/// The client behind `client_id`: a registered client from D1, or the
/// metadata document at the URL. A document is taken from the D1 cache while
/// fresh (document_cache.hpp); otherwise, after the per-address fetch limit
/// (ratelimit::Endpoint::client_metadata) is counted, it is fetched through
/// the fetch effect (GET, `Accept: application/json`, 5 s, at most 16 KiB,
/// redirects not followed), validated, and cached for its HTTP freshness
/// lifetime (freshness.hpp; not at all when that is 0). Callers resolve a
/// document URL only for a signed-in user. Errors: 400 `invalid_client`
/// (unknown id, refused URL, unreachable or non-200 document, not JSON,
/// `client_id` in the document ≠ the URL, invalid metadata — the message says
/// which), 429 `rate_limited` (too many fetches from this address; retry_after_s
/// set), 503 when D1 is unavailable.
async::Task<Result<Client>> resolve_client(api::Ctx& ctx, const std::string& client_id);

}  // namespace ve::oauth
