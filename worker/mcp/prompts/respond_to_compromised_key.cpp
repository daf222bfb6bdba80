// respond_to_compromised_key: contain, investigate, replace, confirm — in that
// order, for one key that exists in the caller's vault.
#include "worker/mcp/prompts/prompts.hpp"

namespace ve::mcp::prompts {

namespace {

constexpr std::string_view kDescription =
    "Incident response for a leaked or suspicious key: pause it, review its activity, rotate it "
    "with a new value from the provider, resume, confirm in the audit log";

/// The message for key `k` (as list_keys shows it) and the user's `reason`.
std::string message_text(const boost::json::object& k, const std::string& reason) {
  const std::string id = text_of(k, "id");
  const std::string name = text_of(k, "name");
  const std::string provider = text_of(k, "provider");
  const bool oauth2 = text_of(k, "credential_type") == "oauth2";
  const auto* paused_at = k.if_contains("paused_at");
  const bool paused = paused_at != nullptr && !paused_at->is_null();
  const std::string ref = "{\"key\": \"" + id + "\"}";

  std::string text = "My key '" + name + "' (id " + id + ", provider " + provider + ", " +
                     (oauth2 ? "OAuth2 client credential" : "API key") + ") may be compromised." +
                     (reason.empty() ? std::string() : " Why I think so: " + reason) +
                     "\nHelp me respond, in this order:\n\n";
  text += paused ? "1. The key is already paused, so proxy use is blocked: skip pause_key.\n"
                 : "1. Contain: call pause_key with " + ref +
                       " right away. Pausing blocks use through the vault's proxy; it cannot "
                       "stop anyone who already copied the value, so the next steps matter.\n";
  text +=
      "2. Investigate: call get_activity with {\"key\": \"" + id +
      "\", \"limit\": 100} and look for reveals (key.reveal) and proxy calls from clients, IP "
      "addresses or countries I would not recognise, and when they started. Page further back "
      "with `before` if the story starts earlier. Call list_devices and point out any device I "
      "may not own.\n"
      "3. Replace: ask me to create a new " +
      std::string(oauth2 ? "client secret (and refresh token, if it changed)" : "key") +
      " in the " + provider +
      " dashboard and to revoke the old one there — the vault cannot revoke it at the provider. "
      "When I give you the new value, call rotate_key with {\"key\": \"" +
      id + "\", " +
      (oauth2 ? "\"client_secret\": <new secret>} (add \"refresh_token\" if it changed)"
              : "\"value\": <new value>}") +
      ". Do not repeat the new value in your reply.\n"
      "4. Resume: once rotated, call resume_key with " +
      ref +
      (paused ? " only if I confirm it should be usable again (it was paused before this "
                "incident).\n"
              : ".\n") +
      "5. Clean up: if a device looked unfamiliar in step 2, ask me, then call revoke_device "
      "with its id.\n"
      "6. Confirm: call get_activity with {\"key\": \"" +
      id +
      "\", \"limit\": 10} and show me that the pause, rotation and resume are in the audit log, "
      "then summarise what happened and what I still need to do at the provider.\n\n"
      "Never call reveal_key during this: the old value is compromised and the new one must "
      "not enter this conversation again.";
  return text;
}

async::Task<Result<boost::json::object>> get(CallCtx& ctx,
                                             const std::map<std::string, std::string>& args) {
  auto it = args.find("key");
  auto key = co_await find_key(ctx, it == args.end() ? std::string() : it->second);
  if (!key.ok()) co_return key.error();
  std::string reason;
  if (auto r = args.find("reason"); r != args.end()) reason = r->second;
  if (reason.size() > kMaxTextArgBytes) {
    co_return bad_request("argument 'reason' must be at most 2000 bytes");
  }
  co_return user_message(kDescription, message_text(key.value(), reason));
}

}  // namespace

Prompt respond_to_compromised_key_prompt() {
  return {
      "respond_to_compromised_key",
      "Respond to a compromised key",
      "Step-by-step incident response for a key that leaked or behaves suspiciously: pause it, "
      "review its activity and devices, rotate it with a new value from the provider, resume it "
      "and confirm everything in the audit log.",
      {{"key", "The key's name or id (completion lists your keys).", true},
       {"reason", "What happened, e.g. 'committed to a public repo'. Optional.", false}},
      &get,
      &complete_key,
  };
}

}  // namespace ve::mcp::prompts
