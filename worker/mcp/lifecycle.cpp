// Lifecycle (basic/lifecycle of 2025-06-18 and 2025-11-25: the `initialize`
// handshake), server/discover (2026-07-28, stateless: no handshake) and ping
// (basic/utilities/ping, 2025 revisions only).
#include "worker/mcp/catalog.hpp"
#include "worker/mcp/envelope.hpp"
#include "worker/mcp/methods.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {
constexpr std::string_view kInstructions =
    "vaultedge is a credential vault. Use the tools to list, inspect, store, rotate, pause and "
    "delete the user's API keys and OAuth credentials, read the audit log and check the vault's "
    "health. Secret values are returned only by reveal_key; never repeat a revealed value back "
    "to the user unless they asked for it.";
}  // namespace

bj::object server_info() {
  return {{"name", "vaultedge"}, {"title", "vaultedge credential vault"}, {"version", "0.1.0"}};
}

bj::object server_capabilities(Revision /*r*/) {
  const auto& c = catalog();
  bj::object caps;
  caps["tools"] = bj::object{{"listChanged", false}};
  if (!c.prompts.empty()) {
    caps["prompts"] = bj::object{{"listChanged", false}};
    caps["completions"] = bj::object{};
  }
  if (c.has_resources()) {
    caps["resources"] = bj::object{{"subscribe", false}, {"listChanged", false}};
  }
  caps["logging"] = bj::object{};
  return caps;
}

async::Task<MethodResult> initialize(Exchange& ex) {
  const auto* requested = ex.msg.params.if_contains("protocolVersion");
  if (!requested || !requested->is_string()) {
    co_return rpc::invalid_params(
        "Invalid params: initialize needs \"protocolVersion\" (a string such as \"2025-11-25\")");
  }
  const auto* caps = ex.msg.params.if_contains("capabilities");
  if (caps && !caps->is_object()) {
    co_return rpc::invalid_params("Invalid params: \"capabilities\" must be an object");
  }
  // Echo a legacy revision we speak; otherwise offer our latest legacy one (the
  // handshake never negotiates the stateless revision: that one has no handshake).
  Revision chosen = Revision::r2025_11_25;
  if (auto r = parse_revision(requested->as_string()); r && !is_stateless(*r)) chosen = *r;
  co_return bj::object{{"protocolVersion", revision_name(chosen)},
                       {"capabilities", server_capabilities(chosen)},
                       {"serverInfo", server_info()},
                       {"instructions", kInstructions}};
}

async::Task<MethodResult> discover(Exchange& ex) {
  bj::array versions;
  for (auto r : {Revision::r2026_07_28, Revision::r2025_11_25, Revision::r2025_06_18}) {
    versions.emplace_back(revision_name(r));
  }
  co_return bj::object{{"supportedVersions", std::move(versions)},
                       {"capabilities", server_capabilities(ex.revision)},
                       {"instructions", kInstructions},
                       {"_meta", bj::object{{kServerInfoKey, server_info()}}}};
}

async::Task<MethodResult> ping(Exchange&) {
  co_return bj::object{};
}

}  // namespace ve::mcp
