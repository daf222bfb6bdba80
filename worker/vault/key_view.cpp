#include "worker/vault/key_view.hpp"

#include "worker/json/json.hpp"
#include "worker/util/time.hpp"

namespace ve::vault {

namespace bj = boost::json;

bj::value proxy_endpoint(std::string_view origin, const KeyRecord& key) {
  if (!key.base_url || key.base_url->empty()) return nullptr;
  std::string url(origin);
  url.append("/v1/proxy/").append(key.id);
  return bj::string(url);
}

bj::object key_summary(const KeyRecord& key, const std::vector<std::string>& aliases,
                       std::string_view origin) {
  bj::object o;
  o["id"] = key.id;
  o["name"] = key.name;
  o["provider"] = key.provider;
  o["category"] = key.category;
  o["credential_type"] = key.credential_type;
  bj::array tags;
  for (const auto& t : key.tags) tags.emplace_back(t);
  o["tags"] = std::move(tags);
  o["base_url"] = json::text_or_null(key.base_url);
  o["auth_header_type"] = json::text_or_null(key.auth_header_type);
  o["created_at"] = util::iso8601(key.created_at);
  o["rotated_at"] = json::iso_or_null(key.rotated_at);
  o["paused_at"] = json::iso_or_null(key.paused_at);
  o["last_used_at"] = json::iso_or_null(key.last_used_at);
  o["proxy_endpoint"] = proxy_endpoint(origin, key);
  o["version"] = key.current_version;
  bj::array names;
  for (const auto& a : aliases) names.emplace_back(a);
  o["previous_names"] = std::move(names);
  return o;
}

bj::object key_detail(const KeyRecord& key, const std::vector<std::string>& aliases,
                      const std::vector<VersionRecord>& versions, std::string_view origin) {
  bj::object o = key_summary(key, aliases, origin);
  bj::array list;
  for (const auto& v : versions) {
    bj::object item;
    item["version"] = v.version;
    item["stage"] = v.stage ? bj::value(bj::string(*v.stage)) : bj::value(nullptr);
    item["kid"] = v.kid;
    item["created_at"] = util::iso8601(v.created_at);
    item["retired_at"] = json::iso_or_null(v.retired_at);
    list.emplace_back(std::move(item));
  }
  o["versions"] = std::move(list);
  return o;
}

}  // namespace ve::vault
