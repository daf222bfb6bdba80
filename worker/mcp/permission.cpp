#include "worker/mcp/permission.hpp"

#include <boost/json.hpp>
#include <string>

namespace ve::mcp {

Result<void> permit(const auth::Principal& principal, std::string_view scope) {
  if (principal.full_access()) return {};
  if (principal.kind == auth::Principal::Kind::oauth) {
    if (principal.has_scope(std::string(scope))) return {};
    return Error{403, "insufficient_scope",
                 "this connection's token lacks the scope '" + std::string(scope) +
                     "': reconnect the client and grant it to use this"};
  }
  return Error{403, "forbidden",
               "a scoped token may not use this: connect with a device master token "
               "(`apilocker mcp`) or through OAuth"};
}

Result<void> permit_tool(const auth::Principal& principal, const Tool& tool) {
  if (principal.kind != auth::Principal::Kind::scoped) return permit(principal, tool.scope);
  if (tool.honours_allowed_keys) return {};
  std::string allowed;
  for (const auto& t : vault_tools()) {
    if (t.honours_allowed_keys) allowed += (allowed.empty() ? "" : ", ") + std::string(t.name);
  }
  return Error{403, "forbidden",
               "a scoped token may use only the tools that stay within its allowed keys (" +
                   allowed + "); it never changes the vault"};
}

std::optional<rpc::RpcError> step_up(const auth::Principal& principal, std::string_view scope) {
  if (principal.kind != auth::Principal::Kind::oauth || principal.has_scope(std::string(scope))) {
    return std::nullopt;
  }
  std::string wanted;
  for (const auto& s : principal.scopes) wanted += s + " ";
  wanted += scope;
  return rpc::RpcError{rpc::kServerError,
                       "Forbidden: this connection's token lacks the scope '" + std::string(scope) +
                           "'; authorize the client again with it (scope \"" + wanted + "\")",
                       boost::json::object{{"scope", wanted}}, 403};
}

std::optional<std::string> step_up_scope(const rpc::RpcError& e) {
  if (e.http_status != 403 || !e.data || !e.data->is_object()) return std::nullopt;
  const auto* scope = e.data->as_object().if_contains("scope");
  if (scope == nullptr || !scope->is_string()) return std::nullopt;
  return std::string(scope->as_string());
}

}  // namespace ve::mcp
