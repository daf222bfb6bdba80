// Helpers shared by the vault's prompts (see prompts.hpp).
#include <algorithm>
#include <cctype>

#include "worker/mcp/permission.hpp"
#include "worker/mcp/prompts/prompts.hpp"
#include "worker/mcp/tool.hpp"
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/vault/handlers.hpp"

namespace ve::mcp::prompts {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxRefBytes = 256;
constexpr std::size_t kMaxCompletions = 100;

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (prefix.size() > s.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

/// The user's keys as GET /v1/keys lists them.
async::Task<Result<bj::array>> all_keys(CallCtx& ctx) {
  if (auto ok = permit(ctx.api.principal, "vault:read"); !ok.ok()) co_return ok.error();
  auto r = co_await tools::rest_call(ctx, {"GET", "/v1/keys", {}, {}, {}, &vault::list_keys});
  if (!r.ok()) co_return r.error();
  auto* keys = r.value().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) co_return bj::array{};
  co_return std::move(keys->as_array());
}

bool has_string(const bj::value& list, std::string_view s) {
  if (!list.is_array()) return false;
  const auto& a = list.as_array();
  return std::any_of(a.begin(), a.end(),
                     [&](const bj::value& v) { return v.is_string() && v.as_string() == s; });
}

}  // namespace

bj::object user_message(std::string_view description, std::string text) {
  bj::object content{{"type", "text"}, {"text", std::move(text)}};
  bj::array messages;
  messages.push_back(bj::object{{"role", "user"}, {"content", std::move(content)}});
  return bj::object{{"description", description}, {"messages", std::move(messages)}};
}

bool tool_registered(std::string_view name) {
  const auto& tools = vault_tools();
  return std::any_of(tools.begin(), tools.end(), [&](const Tool& t) { return t.name == name; });
}

std::string text_of(const bj::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

async::Task<Result<bj::object>> find_key(CallCtx& ctx, std::string ref) {
  if (ref.empty() || ref.size() > kMaxRefBytes) {
    co_return bad_request("argument 'key' must be a key name or id of 1 to 256 characters");
  }
  auto keys = co_await all_keys(ctx);
  if (!keys.ok()) co_return keys.error();
  // The same precedence as the vault: id, then current name, then former name.
  for (std::string_view field : {"id", "name"}) {
    for (auto& k : keys.value()) {
      if (k.is_object() && text_of(k.as_object(), field) == ref) co_return std::move(k.as_object());
    }
  }
  for (auto& k : keys.value()) {
    if (!k.is_object()) continue;
    const auto* old = k.as_object().if_contains("previous_names");
    if (old != nullptr && has_string(*old, ref)) co_return std::move(k.as_object());
  }
  co_return not_found("no key '" + ref.substr(0, 128) +
                      "' in your vault: call list_keys (or use completion on the 'key' argument) "
                      "to see your keys' names");
}

async::Task<Result<std::vector<std::string>>> complete_key(CallCtx& ctx, std::string_view argument,
                                                           std::string_view prefix) {
  std::vector<std::string> out;
  if (argument != "key") co_return out;
  const std::string p(prefix);  // the caller's view may not outlive the first suspension
  auto keys = co_await all_keys(ctx);
  if (!keys.ok()) co_return keys.error();
  for (const auto& k : keys.value()) {
    if (!k.is_object()) continue;
    std::string name = text_of(k.as_object(), "name");
    if (!name.empty() && starts_with_icase(name, p)) out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  if (out.size() > kMaxCompletions) out.resize(kMaxCompletions);
  co_return out;
}

}  // namespace ve::mcp::prompts
