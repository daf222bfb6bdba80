#include "tests/unit/host/mcp_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>

#include "worker/api/context.hpp"
#include "worker/async/driver.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/util/time.hpp"

namespace ve::test {

namespace bj = boost::json;

namespace {

using Body = std::function<async::Task<void>(mcp::CallCtx&)>;

async::Task<http::Reply> run_body(const config::Config* config, async::Io& io, http::Request req,
                                  const Body* body, std::optional<auth::Principal> as) {
  api::Ctx ctx{*config, io, req, {}, util::now_ms(), {}, "/v1/mcp"};
  http::Reply reply;
  if (as) {
    ctx.principal = std::move(*as);
  } else {
    auto p = co_await auth::authenticate_bearer(ctx);
    if (!p.ok()) {
      reply.response.status = 401;
      co_return reply;
    }
    ctx.principal = std::move(p.value());
  }
  mcp::Notifier notifier;
  mcp::CallCtx cc{ctx, mcp::Revision::r2025_11_25, "mcp-test-client", notifier};
  co_await (*body)(cc);
  co_return reply;
}

/// Runs `body` to completion in one request as `user` (or `as`).
void run(host::HostRunner& host, const VaultUser& user, std::optional<auth::Principal> as,
         const Body& body) {
  const config::Config* config = &host.config();
  async::Driver driver([&](async::Io& io, http::Request req) {
    return run_body(config, io, std::move(req), &body, as);
  });
  http::Request req;
  req.method = "POST";
  req.url = "http://127.0.0.1:8787/v1/mcp";
  req.headers = {{"authorization", "Bearer " + user.token},
                 {"content-type", "application/json"},
                 {"user-agent", "mcp-test/1.0"}};
  req.client_ip = "203.0.113.7";
  req.country = "NZ";
  if (!http::parse_url(req.url, req)) std::abort();
  auto step = driver.begin(std::move(req));
  while (!step.done) {
    std::vector<std::pair<std::uint32_t, async::EffectResult>> results;
    for (const auto& [id, e] : step.effects) results.emplace_back(id, host.perform(e));
    step = driver.resume(step.task_id, std::move(results));
  }
  if (step.reply.response.status == 401) {
    std::fprintf(stderr, "mcp support: the test user's token did not authenticate\n");
    std::abort();
  }
}

std::string type_of(const bj::value& v) {
  switch (v.kind()) {
    case bj::kind::null:
      return "null";
    case bj::kind::bool_:
      return "boolean";
    case bj::kind::int64:
    case bj::kind::uint64:
      return "integer";
    case bj::kind::double_:
      return "number";
    case bj::kind::string:
      return "string";
    case bj::kind::array:
      return "array";
    case bj::kind::object:
      return "object";
  }
  return "?";
}

bool type_matches(const bj::value& type, const bj::value& v) {
  const std::string t = type_of(v);
  const auto one = [&](const bj::value& name) {
    return name.is_string() &&
           (name.as_string() == t || (name.as_string() == "number" && t == "integer"));
  };
  if (type.is_array()) {
    for (const auto& n : type.as_array()) {
      if (one(n)) return true;
    }
    return false;
  }
  return one(type);
}

double number_of(const bj::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return v.is_double() ? v.as_double() : 0;
}

}  // namespace

const mcp::Tool& vault_tool(std::string_view name) {
  for (const auto& t : mcp::vault_tools()) {
    if (t.name == name) return t;
  }
  std::fprintf(stderr, "no vault tool %.*s\n", static_cast<int>(name.size()), name.data());
  std::abort();
}

const mcp::Prompt& vault_prompt(std::string_view name) {
  for (const auto& p : mcp::vault_prompts()) {
    if (p.name == name) return p;
  }
  std::fprintf(stderr, "no vault prompt %.*s\n", static_cast<int>(name.size()), name.data());
  std::abort();
}

mcp::ToolResult call_tool(host::HostRunner& host, const VaultUser& user, std::string_view name,
                          bj::object args, std::optional<auth::Principal> as) {
  const mcp::Tool& tool = vault_tool(name);
  mcp::ToolResult out = mcp::ToolResult::failure("the tool did not run", 500);
  run(host, user, std::move(as),
      [&](mcp::CallCtx& cc) -> async::Task<void> { out = co_await mcp::run_tool(cc, tool, args); });
  return out;
}

Result<bj::object> get_prompt(host::HostRunner& host, const VaultUser& user, std::string_view name,
                              std::map<std::string, std::string> args) {
  const mcp::Prompt& prompt = vault_prompt(name);
  Result<bj::object> out = Error{500, "internal", "the prompt did not run"};
  run(host, user, std::nullopt,
      [&](mcp::CallCtx& cc) -> async::Task<void> { out = co_await prompt.get(cc, args); });
  return out;
}

Result<std::vector<std::string>> complete_prompt(host::HostRunner& host, const VaultUser& user,
                                                 std::string_view name, std::string_view argument,
                                                 std::string_view prefix) {
  const mcp::Prompt& prompt = vault_prompt(name);
  if (prompt.complete == nullptr) return std::vector<std::string>{};
  Result<std::vector<std::string>> out = Error{500, "internal", "the completion did not run"};
  run(host, user, std::nullopt, [&](mcp::CallCtx& cc) -> async::Task<void> {
    out = co_await prompt.complete(cc, argument, prefix);
  });
  return out;
}

std::string result_text(const mcp::ToolResult& r) {
  std::string out;
  for (const auto& block : r.content) {
    if (!block.is_object()) continue;
    if (const auto* t = block.as_object().if_contains("text"); t && t->is_string()) {
      out += std::string(t->as_string());
    }
  }
  return out;
}

std::string prompt_text(const bj::object& prompt) {
  std::string out;
  const auto* messages = prompt.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return out;
  for (const auto& m : messages->as_array()) {
    const auto* c = m.is_object() ? m.as_object().if_contains("content") : nullptr;
    const auto* t = c && c->is_object() ? c->as_object().if_contains("text") : nullptr;
    if (t && t->is_string()) out += std::string(t->as_string());
  }
  return out;
}

std::string schema_violation(const bj::value& schema, const bj::value& v, const std::string& path) {
  if (!schema.is_object()) return path + ": schema is not an object";
  const auto& s = schema.as_object();
  if (const auto* t = s.if_contains("type"); t && !type_matches(*t, v)) {
    return path + ": is " + type_of(v) + ", schema wants " + bj::serialize(*t);
  }
  if (const auto* e = s.if_contains("enum"); e && e->is_array()) {
    bool found = false;
    for (const auto& x : e->as_array()) found = found || x == v;
    if (!found) return path + ": " + bj::serialize(v) + " not in enum";
  }
  if (const auto* any = s.if_contains("anyOf"); any && any->is_array()) {
    bool ok = false;
    for (const auto& sub : any->as_array()) ok = ok || schema_violation(sub, v, path).empty();
    if (!ok) return path + ": matches no anyOf branch";
  }
  if (v.is_string()) {
    const auto n = static_cast<double>(v.as_string().size());
    if (const auto* m = s.if_contains("minLength"); m && n < number_of(*m)) {
      return path + ": too short";
    }
    if (const auto* m = s.if_contains("maxLength"); m && n > number_of(*m)) {
      return path + ": too long";
    }
  }
  if (v.is_number()) {
    if (const auto* m = s.if_contains("minimum"); m && number_of(v) < number_of(*m)) {
      return path + ": below minimum";
    }
    if (const auto* m = s.if_contains("maximum"); m && number_of(v) > number_of(*m)) {
      return path + ": above maximum";
    }
  }
  if (v.is_array()) {
    const auto& a = v.as_array();
    if (const auto* m = s.if_contains("maxItems");
        m && static_cast<double>(a.size()) > number_of(*m)) {
      return path + ": too many items";
    }
    if (const auto* items = s.if_contains("items")) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        auto why = schema_violation(*items, a[i], path + "[" + std::to_string(i) + "]");
        if (!why.empty()) return why;
      }
    }
  }
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* req = s.if_contains("required"); req && req->is_array()) {
      for (const auto& r : req->as_array()) {
        if (r.is_string() && !o.contains(r.as_string())) {
          return path + ": required field '" + std::string(r.as_string()) + "' missing";
        }
      }
    }
    const auto* props = s.if_contains("properties");
    const auto* extra = s.if_contains("additionalProperties");
    for (const auto& [k, val] : o) {
      const std::string sub = path + "." + std::string(k);
      const bj::value* ps =
          props && props->is_object() ? props->as_object().if_contains(k) : nullptr;
      if (ps != nullptr) {
        auto why = schema_violation(*ps, val, sub);
        if (!why.empty()) return why;
      } else if (extra != nullptr && extra->is_bool() && !extra->as_bool()) {
        return sub + ": not allowed (additionalProperties false)";
      } else if (extra != nullptr && extra->is_object()) {
        auto why = schema_violation(*extra, val, sub);
        if (!why.empty()) return why;
      }
    }
  }
  return "";
}

auth::Principal principal_of(const VaultUser& user, auth::Principal::Kind kind,
                             std::vector<std::string> scopes) {
  auth::Principal p;
  p.kind = kind;
  p.user_id = user.user_id;
  p.actor_id = kind == auth::Principal::Kind::master ? user.device_id : "actor_test";
  p.client = "test";
  p.scopes = std::move(scopes);
  return p;
}

}  // namespace ve::test
