#include "worker/mcp/dispatch.hpp"

#include <array>

#include "worker/mcp/catalog.hpp"

namespace ve::mcp {

namespace {

enum Eras : unsigned { kLegacy = 1, kModern = 2, kBoth = 3 };

struct Method {
  std::string_view name;
  MethodFn fn;
  unsigned eras;
  bool resources = false;  ///< offered only when the extension serves resources
  bool cacheable = false;  ///< 2026-07-28 CacheableResult
};

constexpr std::array kMethods = {
    Method{"initialize", &initialize, kLegacy},
    Method{"ping", &ping, kLegacy},
    Method{"logging/setLevel", &set_level, kLegacy},
    Method{"server/discover", &discover, kModern, false, true},
    Method{"tools/list", &tools_list, kBoth, false, true},
    Method{"tools/call", &tools_call, kBoth},
    Method{"prompts/list", &prompts_list, kBoth, false, true},
    Method{"prompts/get", &prompts_get, kBoth},
    Method{"completion/complete", &complete, kBoth},
    Method{"resources/list", &resources_list, kBoth, true, true},
    Method{"resources/templates/list", &resource_templates_list, kBoth, true, true},
    Method{"resources/read", &resources_read, kBoth, true, true},
};

}  // namespace

async::Task<MethodResult> dispatch(Exchange& ex) {
  const bool modern = is_stateless(ex.revision);
  const Method* found = nullptr;
  for (const auto& m : kMethods) {
    if (m.name != ex.msg.method) continue;
    if ((m.eras & (modern ? kModern : kLegacy)) == 0) break;
    if (m.resources && !catalog().has_resources()) break;
    found = &m;
    break;
  }
  if (!found) {
    std::string shown = ex.msg.method.substr(0, 64);
    co_return rpc::RpcError{rpc::kMethodNotFound,
                            "Method not found: " + shown + " (protocol revision " +
                                std::string(revision_name(ex.revision)) + ")",
                            std::nullopt, modern ? 404 : 200};
  }
  auto result = co_await found->fn(ex);
  if (result.ok() && modern) {
    auto& o = result.value();
    o["resultType"] = "complete";
    if (found->cacheable) {
      if (!o.contains("ttlMs")) o["ttlMs"] = 0;
      if (!o.contains("cacheScope")) o["cacheScope"] = "private";
    }
  }
  co_return result;
}

}  // namespace ve::mcp
