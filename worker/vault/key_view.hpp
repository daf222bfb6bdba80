// JSON shapes of key metadata as the apilocker CLI reads them (never a value).
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/vault/key_store.hpp"

namespace ve::vault {

/// `{origin}/v1/proxy/{id}` when the key has a base URL (proxy-capable), else null.
boost::json::value proxy_endpoint(std::string_view origin, const KeyRecord& key);

/// A `GET /v1/keys` item: id, name, provider, category, credential_type, tags,
/// base_url, auth_header_type, created_at, rotated_at, paused_at, last_used_at,
/// proxy_endpoint, version (current), previous_names.
boost::json::object key_summary(const KeyRecord& key, const std::vector<std::string>& aliases,
                                std::string_view origin);

/// `GET /v1/keys/:idOrName`: key_summary plus `versions` [{version, stage, kid,
/// created_at, retired_at}] newest first.
boost::json::object key_detail(const KeyRecord& key, const std::vector<std::string>& aliases,
                               const std::vector<VersionRecord>& versions, std::string_view origin);

}  // namespace ve::vault
