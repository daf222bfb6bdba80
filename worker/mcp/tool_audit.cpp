#include "worker/mcp/tool_audit.hpp"

#include <cctype>

#include "worker/audit/audit.hpp"
#include "worker/mcp/envelope.hpp"

namespace ve::mcp {

namespace {
constexpr std::size_t kMaxLabel = 64;

std::string sanitise(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (out.size() >= kMaxLabel) break;
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '_' || c == '@' || c == '+' || c == '-' || c == ' ') {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}
}  // namespace

std::string client_label(const http::Request& req, const boost::json::object* meta) {
  if (meta) {
    if (const auto* info = meta->if_contains(kClientInfoKey); info && info->is_object()) {
      if (const auto* name = info->as_object().if_contains("name"); name && name->is_string()) {
        auto label = sanitise(name->as_string());
        if (!label.empty()) return label;
      }
    }
  }
  if (auto ua = req.header("user-agent")) {
    std::string_view s = *ua;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    auto label = sanitise(s.substr(0, s.find_first_of("/ (")));
    if (!label.empty()) return label;
  }
  return "mcp";
}

async::Task<Result<void>> record_tool_call(api::Ctx& ctx, std::string_view client,
                                           std::string_view tool_name, const ToolResult& result) {
  ctx.principal.client = std::string(client);
  audit::Entry e;
  e.action = std::string(kToolCallAction);
  e.status = result.status;
  e.key_id = result.key_id;
  e.detail = std::string(tool_name);
  co_return co_await audit::record(ctx, e);
}

}  // namespace ve::mcp
