// prompts/list, prompts/get (server/prompts) and completion/complete
// (server/utilities/completion) for prompt arguments.
#include <map>

#include "worker/mcp/catalog.hpp"
#include "worker/mcp/methods.hpp"
#include "worker/mcp/pagination.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxCompletions = 100;  // spec: at most 100 values per response

bj::object prompt_object(const Prompt& p) {
  bj::object o{{"name", p.name}};
  if (!p.title.empty()) o["title"] = p.title;
  if (!p.description.empty()) o["description"] = p.description;
  bj::array args;
  for (const auto& a : p.arguments) {
    bj::object arg{{"name", a.name}, {"required", a.required}};
    if (!a.description.empty()) arg["description"] = a.description;
    args.push_back(std::move(arg));
  }
  o["arguments"] = std::move(args);
  return o;
}

std::string shown(const bj::string& s) {
  return std::string(s.subview().substr(0, 64));
}

}  // namespace

async::Task<MethodResult> prompts_list(Exchange& ex) {
  const auto& prompts = catalog().prompts;
  auto page = page_for(ex.msg.params, "prompts", prompts.size());
  if (!page.ok()) co_return page.error();
  bj::array list;
  for (std::size_t i = page.value().begin; i < page.value().end; ++i) {
    list.push_back(prompt_object(*prompts[i]));
  }
  bj::object result{{"prompts", std::move(list)}};
  add_next_cursor(result, page.value());
  co_return result;
}

async::Task<MethodResult> prompts_get(Exchange& ex) {
  const auto* name = ex.msg.params.if_contains("name");
  if (!name || !name->is_string()) {
    co_return rpc::invalid_params("Invalid params: prompts/get needs \"name\" (see prompts/list)");
  }
  const Prompt* prompt = catalog().prompt(name->as_string());
  if (!prompt) {
    co_return rpc::invalid_params("Invalid params: unknown prompt \"" + shown(name->as_string()) +
                                  "\"; prompts/list names the prompts this server offers");
  }
  std::map<std::string, std::string> args;
  if (const auto* given = ex.msg.params.if_contains("arguments"); given && !given->is_null()) {
    if (!given->is_object()) {
      co_return rpc::invalid_params("Invalid params: \"arguments\" must be an object of strings");
    }
    for (const auto& [k, v] : given->as_object()) {
      if (!v.is_string()) {
        co_return rpc::invalid_params("Invalid params: prompt argument \"" +
                                      std::string(k.substr(0, 64)) + "\" must be a string");
      }
      args.emplace(std::string(k), std::string(v.as_string()));
    }
  }
  for (const auto& a : prompt->arguments) {
    if (a.required && !args.contains(std::string(a.name))) {
      co_return rpc::invalid_params("Invalid params: prompt \"" + std::string(prompt->name) +
                                    "\" needs the argument \"" + std::string(a.name) + "\"");
    }
  }
  ex.api.principal.client = ex.client;
  CallCtx cc{ex.api, ex.revision, ex.client, ex.notify};
  auto r = co_await prompt->get(cc, args);
  if (!r.ok()) co_return rpc::invalid_params(r.error().message);
  co_return std::move(r.value());
}

async::Task<MethodResult> complete(Exchange& ex) {
  const auto& params = ex.msg.params;
  const auto* ref = params.if_contains("ref");
  const auto* argument = params.if_contains("argument");
  if (!ref || !ref->is_object() || !argument || !argument->is_object()) {
    co_return rpc::invalid_params(
        "Invalid params: completion/complete needs \"ref\" and \"argument\" {name, value}");
  }
  const auto* type = ref->as_object().if_contains("type");
  const auto* arg_name = argument->as_object().if_contains("name");
  const auto* arg_value = argument->as_object().if_contains("value");
  if (!type || !type->is_string() || !arg_name || !arg_name->is_string() || !arg_value ||
      !arg_value->is_string()) {
    co_return rpc::invalid_params(
        "Invalid params: \"ref.type\", \"argument.name\" and \"argument.value\" must be strings");
  }
  std::vector<std::string> values;
  if (type->as_string() == "ref/prompt") {
    const auto* pname = ref->as_object().if_contains("name");
    const Prompt* prompt =
        pname && pname->is_string() ? catalog().prompt(pname->as_string()) : nullptr;
    if (!prompt) {
      co_return rpc::invalid_params("Invalid params: \"ref.name\" is not a prompt of this server");
    }
    bool known = false;
    for (const auto& a : prompt->arguments) known = known || a.name == arg_name->as_string();
    if (!known) {
      co_return rpc::invalid_params("Invalid params: prompt \"" + std::string(prompt->name) +
                                    "\" has no argument \"" + shown(arg_name->as_string()) + "\"");
    }
    if (prompt->complete) {
      ex.api.principal.client = ex.client;
      CallCtx cc{ex.api, ex.revision, ex.client, ex.notify};
      auto r = co_await prompt->complete(cc, arg_name->as_string(), arg_value->as_string());
      if (!r.ok()) co_return rpc::invalid_params(r.error().message);
      values = std::move(r.value());
    }
  } else if (type->as_string() != "ref/resource") {
    co_return rpc::invalid_params(
        "Invalid params: \"ref.type\" must be ref/prompt or ref/resource");
  }
  const std::size_t total = values.size();
  if (values.size() > kMaxCompletions) values.resize(kMaxCompletions);
  bj::array list;
  for (auto& v : values) list.emplace_back(std::move(v));
  co_return bj::object{{"completion", bj::object{{"values", std::move(list)},
                                                 {"total", total},
                                                 {"hasMore", total > kMaxCompletions}}}};
}

}  // namespace ve::mcp
