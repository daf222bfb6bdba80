// The scopes of vaultedge's OAuth access tokens (docs/oauth.md "Scopes") and
// the scope parameter's syntax (RFC 6749 §3.3: space-delimited, case-sensitive).
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "worker/result.hpp"

namespace ve::oauth {

/// One scope: its name on the wire and how the consent page says it.
struct ScopeInfo {
  std::string_view name;     ///< e.g. "vault:read"
  std::string_view summary;  ///< plain words: the consent page and the connected-apps list
  bool optional;             ///< the user may untick it on the consent page
};

/// Every scope we issue, in display order. `vault:read` is needed for any MCP
/// request, `vault:write` for tools that change the vault, `vault:proxy` for
/// `proxy_request`.
std::span<const ScopeInfo> supported_scopes();

/// Scopes granted when an authorization request names none, and advertised in
/// the 401 challenge's `scope` (MCP 2025-11-25 "Scope Selection Strategy").
inline constexpr std::string_view kDefaultScope = "vault:read vault:write";
/// Always part of a grant: without it no MCP request is allowed.
inline constexpr std::string_view kBaseScope = "vault:read";

/// Parses a `scope` parameter into known scope names in display order, without
/// duplicates; empty or absent means kDefaultScope, and kBaseScope is always
/// added. Error 400 `invalid_scope` (RFC 6749 §4.1.2.1) naming the unknown
/// scope and listing the supported ones; also when longer than 1 KiB.
Result<std::vector<std::string>> parse_scope(std::string_view scope);

/// Space-joined scope string (RFC 6749 §3.3).
std::string join_scopes(const std::vector<std::string>& scopes);

/// Splits a stored space-separated scope string (no validation).
std::vector<std::string> split_scopes(std::string_view scope);

/// The summary of a scope in plain words, or the name itself when unknown: the
/// one wording of a scope, shown on the consent page and by GET
/// /v1/oauth/grants (`scopes_described`).
std::string_view scope_summary(std::string_view name);

}  // namespace ve::oauth
