// use_key_without_seeing_it: do a task with a key while its value stays out of
// the conversation. The text is built from the tool registry: it names
// proxy_request only when that tool is registered; otherwise it guides to
// `apilocker run`, which injects the key into a subprocess's environment.
#include <array>

#include "worker/mcp/prompts/prompts.hpp"
#include "worker/vault/credential.hpp"
#include "worker/vault/env_name.hpp"

namespace ve::mcp::prompts {

namespace {

constexpr std::string_view kDescription =
    "Use a stored key for a task without its value entering the conversation";

/// The environment variables `apilocker run` sets for the key.
std::string env_vars(const boost::json::object& key) {
  const std::string name = text_of(key, "name");
  if (text_of(key, "credential_type") != "oauth2") return "$" + vault::env_name(name);
  std::string out;
  for (std::string_view field : {"client_id", "client_secret", "refresh_token"}) {
    out += (out.empty() ? "$" : ", $") + vault::oauth_env_name(name, field);
  }
  return out + " (and the other fields stored with it)";
}

std::string proxy_steps(const std::string& id, const std::string& base_url) {
  return "1. Call proxy_request with the key id \"" + id +
         "\" and the upstream method, path and body the task needs (see its input schema). The "
         "vault injects the key server-side" +
         (base_url.empty() ? std::string() : " and forwards to " + base_url) +
         "; you see the provider's response, never the key.\n"
         "2. If the task needs several calls, repeat step 1; check the responses for errors "
         "rather than retrying blindly.\n";
}

std::string run_steps(const std::string& name, const std::string& vars) {
  return "This server has no tool that calls the provider with the key on your behalf, so use "
         "the apilocker CLI's `run` command, which fetches the key and injects it as an "
         "environment variable into one subprocess:\n\n"
         "    apilocker run --keys " +
         name +
         " -- <command>\n\n"
         "1. Write the command (a script, curl, a test run, ...) so that it reads the key from " +
         vars +
         " and never prints it: no echo/printenv/env of it, no `set -x`, no logging of request "
         "headers, no writing it to files.\n"
         "2. If you have a shell tool, run that command yourself; otherwise give it to me to run "
         "and ask me for the output. Only the command's output comes back — the value stays in "
         "the subprocess.\n";
}

/// The message for key `k` (as list_keys shows it) and the user's `task`.
std::string message_text(const boost::json::object& k, const std::string& task) {
  const std::string id = text_of(k, "id");
  const std::string name = text_of(k, "name");
  const bool proxy = tool_registered("proxy_request");
  const auto* paused_at = k.if_contains("paused_at");
  const bool paused = paused_at != nullptr && !paused_at->is_null();

  std::string text = "Task: " + task + "\n\nDo it with my key '" + name + "' (id " + id +
                     ", provider " + text_of(k, "provider") +
                     ") without its secret value ever appearing in this conversation.\n\n";
  text += proxy ? proxy_steps(id, text_of(k, "base_url")) : run_steps(name, env_vars(k));
  if (paused && proxy) {
    text +=
        "Note: the key is paused, so proxy calls are refused; ask me whether to resume_key "
        "first.\n";
  }
  text +=
      "\nDo not call reveal_key: it would put the secret into this conversation and the model's "
      "context. If the task truly cannot be done without seeing the value, stop and ask me. "
      "Afterwards you may call get_activity with {\"key\": \"" +
      id + "\", \"limit\": 5} to show me the use was audit-logged.";
  return text;
}

async::Task<Result<boost::json::object>> get(CallCtx& ctx,
                                             const std::map<std::string, std::string>& args) {
  auto task = args.find("task");
  if (task == args.end() || task->second.empty()) {
    co_return bad_request("argument 'task' is required: what should be done with the key");
  }
  if (task->second.size() > kMaxTextArgBytes) {
    co_return bad_request("argument 'task' must be at most 2000 bytes");
  }
  auto it = args.find("key");
  auto key = co_await find_key(ctx, it == args.end() ? std::string() : it->second);
  if (!key.ok()) co_return key.error();
  co_return user_message(kDescription, message_text(key.value(), task->second));
}

}  // namespace

Prompt use_key_without_seeing_it_prompt() {
  return {
      "use_key_without_seeing_it",
      "Use a key without seeing it",
      "Carry out a task with a stored key (call an API, run a script or tests) while its value "
      "stays out of the conversation: through the vault's proxy when this server offers one, "
      "otherwise through `apilocker run`, which injects it into a subprocess's environment.",
      {{"key", "The key's name or id (completion lists your keys).", true},
       {"task", "What to do with it, e.g. 'list my Stripe customers created today'.", true}},
      &get,
      &complete_key,
  };
}

}  // namespace ve::mcp::prompts
