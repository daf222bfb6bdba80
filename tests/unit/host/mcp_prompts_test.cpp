// The vault's MCP prompts (worker/mcp/prompts/): arguments, key lookup and
// completion per user, the tool names their text gives, and that no prompt
// points an agent at a tool that is not registered.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "tests/unit/host/fixture.hpp"
#include "tests/unit/host/mcp_support.hpp"
#include "tests/unit/host/vault_fixture.hpp"

using namespace ve::test;
namespace bj = boost::json;

namespace {

std::set<std::string> registered_tools() {
  std::set<std::string> out;
  for (const auto& t : ve::mcp::vault_tools()) out.emplace(t.name);
  return out;
}

/// Words in `text` that look like tool names (lower snake_case with a verb
/// we use for tools) but are not registered.
std::vector<std::string> unknown_tools(const std::string& text) {
  static const std::regex word(
      "\\b(list|get|reveal|store|rename|rotate|pause|resume|delete|run|revoke|proxy|use|call|"
      "search|update|create|set)_[a-z_]+\\b");
  const auto known = registered_tools();
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator();
       ++it) {
    if (known.count(it->str()) == 0) out.push_back(it->str());
  }
  return out;
}

bool has(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("mcp prompts: catalog and arguments", "[mcp][prompts]") {
  std::set<std::string> names;
  for (const auto& p : ve::mcp::vault_prompts()) {
    names.emplace(p.name);
    CHECK(p.get != nullptr);
    CHECK(p.description.size() > 40);
  }
  CHECK(names == std::set<std::string>{"audit_vault_health", "respond_to_compromised_key",
                                       "use_key_without_seeing_it"});
  const auto& audit = vault_prompt("audit_vault_health");
  REQUIRE(audit.arguments.size() == 1);
  CHECK(audit.arguments[0].name == "stale_after_days");
  CHECK_FALSE(audit.arguments[0].required);
  const auto& incident = vault_prompt("respond_to_compromised_key");
  REQUIRE(incident.arguments.size() == 2);
  CHECK((incident.arguments[0].name == "key" && incident.arguments[0].required));
  CHECK((incident.arguments[1].name == "reason" && !incident.arguments[1].required));
  CHECK(incident.complete != nullptr);
  const auto& use = vault_prompt("use_key_without_seeing_it");
  REQUIRE(use.arguments.size() == 2);
  CHECK((use.arguments[0].name == "key" && use.arguments[0].required));
  CHECK((use.arguments[1].name == "task" && use.arguments[1].required));
  CHECK(use.complete != nullptr);
}

TEST_CASE("mcp prompts: audit_vault_health names run_doctor first with the threshold",
          "[mcp][prompts]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  auto plain = get_prompt(host, a, "audit_vault_health", {});
  REQUIRE(plain.ok());
  const std::string text = prompt_text(plain.value());
  CHECK(has(text, "run_doctor"));
  CHECK(has(text, "\"rotation_max_age_days\": 90"));
  CHECK(text.find("run_doctor") < text.find("get_activity"));
  CHECK(has(text, "Never call reveal_key"));
  CHECK(unknown_tools(text).empty());
  CHECK(plain.value().at("messages").as_array()[0].at("role") == "user");

  auto custom = get_prompt(host, a, "audit_vault_health", {{"stale_after_days", "30"}});
  REQUIRE(custom.ok());
  CHECK(has(prompt_text(custom.value()), "\"rotation_max_age_days\": 30"));
  for (const char* bad : {"0", "-5", "ninety", "3651", "30 days"}) {
    auto r = get_prompt(host, a, "audit_vault_health", {{"stale_after_days", bad}});
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    CHECK(has(r.error().message, "stale_after_days"));
  }
}

TEST_CASE("mcp prompts: respond_to_compromised_key checks the key and orders the steps",
          "[mcp][prompts]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  auto b = add_user(host, "b@example.com");
  const std::string id = store_key(host, a, "STRIPE_KEY", "sk_live_SECRETVALUE", "stripe");

  auto r = get_prompt(host, a, "respond_to_compromised_key",
                      {{"key", "STRIPE_KEY"}, {"reason", "pushed to a public repo"}});
  REQUIRE(r.ok());
  const std::string text = prompt_text(r.value());
  CHECK(has(text, id));
  CHECK(has(text, "pushed to a public repo"));
  const auto at = [&](std::string_view s) { return text.find(s); };
  CHECK(at("pause_key") < at("get_activity"));
  CHECK(at("get_activity") < at("rotate_key"));
  CHECK(at("rotate_key") < at("resume_key"));
  CHECK(has(text, "\"value\": <new value>"));
  CHECK(has(text, "Never call reveal_key"));
  CHECK_FALSE(has(text, "sk_live_SECRETVALUE"));
  CHECK(unknown_tools(text).empty());

  // Already paused: the prompt says so instead of a pause that would fail.
  REQUIRE_FALSE(call_tool(host, a, "pause_key", {{"key", id}}).is_error);
  auto again = get_prompt(host, a, "respond_to_compromised_key", {{"key", id}});
  REQUIRE(again.ok());
  CHECK(has(prompt_text(again.value()), "already paused"));

  // Unknown key, another user's key, or an over-long reason: an error that says so.
  auto unknown = get_prompt(host, a, "respond_to_compromised_key", {{"key", "NOPE"}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().status == 404);
  CHECK(has(unknown.error().message, "list_keys"));
  auto foreign = get_prompt(host, b, "respond_to_compromised_key", {{"key", "STRIPE_KEY"}});
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().status == 404);
  auto long_reason = get_prompt(host, a, "respond_to_compromised_key",
                                {{"key", "STRIPE_KEY"}, {"reason", std::string(2001, 'x')}});
  REQUIRE_FALSE(long_reason.ok());
  CHECK(long_reason.error().status == 400);
}

TEST_CASE("mcp prompts: use_key_without_seeing_it names only registered tools", "[mcp][prompts]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  store_key(host, a, "openai-prod", "sk-SECRET-openai", "openai");
  call_tool(host, a, "store_oauth_credential",
            {{"name", "gh-app"},
             {"provider", "github-oauth"},
             {"client_id", "Iv1.abc"},
             {"client_secret", "gh-SECRET"}});

  auto r = get_prompt(host, a, "use_key_without_seeing_it",
                      {{"key", "openai-prod"}, {"task", "summarise my usage this month"}});
  REQUIRE(r.ok());
  const std::string text = prompt_text(r.value());
  INFO(text);
  CHECK(has(text, "summarise my usage this month"));
  CHECK(unknown_tools(text).empty());
  const bool proxy = registered_tools().count("proxy_request") == 1;
  CHECK(has(text, "proxy_request") == proxy);
  if (!proxy) {
    CHECK(has(text, "apilocker run --keys openai-prod -- <command>"));
    CHECK(has(text, "$OPENAI_PROD"));
  }
  CHECK(has(text, "Do not call reveal_key"));
  CHECK_FALSE(has(text, "sk-SECRET-openai"));

  auto oauth = get_prompt(host, a, "use_key_without_seeing_it",
                          {{"key", "gh-app"}, {"task", "list my repos"}});
  REQUIRE(oauth.ok());
  CHECK(unknown_tools(prompt_text(oauth.value())).empty());
  CHECK_FALSE(has(prompt_text(oauth.value()), "gh-SECRET"));

  auto missing_task = get_prompt(host, a, "use_key_without_seeing_it", {{"key", "openai-prod"}});
  REQUIRE_FALSE(missing_task.ok());
  CHECK(has(missing_task.error().message, "task"));
  auto unknown =
      get_prompt(host, a, "use_key_without_seeing_it", {{"key", "nope"}, {"task", "anything"}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().status == 404);
}

TEST_CASE("mcp prompts: key completion lists the caller's key names by prefix", "[mcp][prompts]") {
  auto host = make_runner();
  auto a = add_user(host, "a@example.com");
  auto b = add_user(host, "b@example.com");
  store_key(host, a, "OPENAI_API_KEY", "v-1_secret");
  store_key(host, a, "openai-dev", "v-2_secret");
  store_key(host, a, "STRIPE_KEY", "v-3_secret", "stripe");
  store_key(host, b, "OPENAI_B_ONLY", "v-4_secret");

  auto r = complete_prompt(host, a, "respond_to_compromised_key", "key", "open");
  REQUIRE(r.ok());
  CHECK(r.value() == std::vector<std::string>{"OPENAI_API_KEY", "openai-dev"});
  auto all = complete_prompt(host, a, "use_key_without_seeing_it", "key", "");
  REQUIRE(all.ok());
  CHECK(all.value().size() == 3);
  auto none = complete_prompt(host, a, "respond_to_compromised_key", "key", "zzz");
  REQUIRE(none.ok());
  CHECK(none.value().empty());
  auto other_arg = complete_prompt(host, a, "respond_to_compromised_key", "reason", "o");
  REQUIRE(other_arg.ok());
  CHECK(other_arg.value().empty());
  auto theirs = complete_prompt(host, b, "respond_to_compromised_key", "key", "");
  REQUIRE(theirs.ok());
  CHECK(theirs.value() == std::vector<std::string>{"OPENAI_B_ONLY"});
}
