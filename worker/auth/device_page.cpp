// The verification page of device registration (verification_uri = /device):
// plain HTML forms, no JavaScript. Sign in → see what asks for access → Approve
// or Deny (POST /device, CSRF-protected) → result page.
#include <variant>

#include "worker/audit/audit.hpp"
#include "worker/auth/csrf.hpp"
#include "worker/auth/handlers.hpp"
#include "worker/auth/pages.hpp"
#include "worker/auth/session.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/auth/upstream_http.hpp"
#include "worker/auth/user_code.hpp"
#include "worker/http/reply.hpp"
#include "worker/ratelimit/limit.hpp"
#include "worker/store/rows.hpp"
#include "worker/util/time.hpp"

namespace ve::auth::handlers {

namespace {

using http::html_escape;

/// A device_codes row as the page shows it.
struct CodeView {
  std::string status, user_id, name, hostname, platform, platform_version, cli_version;
  std::int64_t expires_at = 0;
};

async::Task<Result<std::optional<CodeView>>> find_code(Ctx& ctx, const std::string& user_code) {
  std::vector<async::Statement> batch;
  batch.push_back(
      {"SELECT status, user_id, requested_name, hostname, platform, platform_version, "
       "cli_version, expires_at FROM device_codes WHERE user_code = ?1",
       {user_code}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return rows.error();
  const auto& r = rows.value()[0];
  if (r.rows.empty()) co_return std::optional<CodeView>{};
  co_return std::optional<CodeView>(CodeView{
      store::text_or_empty(r, 0, "status"), store::text_or_empty(r, 0, "user_id"),
      store::text_or_empty(r, 0, "requested_name"), store::text_or_empty(r, 0, "hostname"),
      store::text_or_empty(r, 0, "platform"), store::text_or_empty(r, 0, "platform_version"),
      store::text_or_empty(r, 0, "cli_version"), store::integer(r, 0, "expires_at").value_or(0)});
}

std::string entry_form(std::string_view typed) {
  return "<form method=\"get\" action=\"/device\"><p><label>Code "
         "<input type=\"text\" name=\"user_code\" value=\"" +
         html_escape(typed) +
         "\" required autofocus autocomplete=\"off\" autocapitalize=\"characters\" "
         "spellcheck=\"false\" placeholder=\"BCDF-GHJK\"></label> "
         "<button class=\"primary\" type=\"submit\">Continue</button></p></form>\n";
}

http::Response entry_page(int status, std::string_view message, std::string_view typed) {
  std::string body =
      "<h1>Register a device</h1>\n<p>" + html_escape(message) + "</p>\n" + entry_form(typed);
  return http::html(status, page("Register a device", body));
}

http::Response to_sign_in(std::string_view typed) {
  std::string back = "/device";
  if (!typed.empty()) back += "?user_code=" + http::url_encode(typed);
  return http::see_other(with_query("/auth/login", {{"return_to", back}}));
}

std::string row(std::string_view label, std::string_view value) {
  return "<tr><td>" + html_escape(label) + "</td><td>" +
         (value.empty() ? std::string("—") : html_escape(value)) + "</td></tr>\n";
}

http::Response approval_page(const Ctx& ctx, const std::string& user_code, const CodeView& c) {
  const std::int64_t minutes = std::max<std::int64_t>(1, (c.expires_at - util::now_ms()) / 60000);
  std::string platform = c.platform;
  if (!c.platform_version.empty()) platform += (platform.empty() ? "" : " ") + c.platform_version;
  std::string body =
      "<h1>Register this device?</h1>\n<p>A command-line client asks for full access to the "
      "vault of <b>" +
      html_escape(ctx.principal.email) +
      "</b>: it will be able to read, use and change all "
      "your keys.</p>\n<table>\n" +
      "<tr><td>Code</td><td class=\"code\">" + html_escape(user_code) + "</td></tr>\n" +
      (c.name.empty() ? std::string() : row("Device name", c.name)) + row("Hostname", c.hostname) +
      row("Platform", platform) +
      row("CLI version", c.cli_version.empty() ? "" : "apilocker " + c.cli_version) +
      row("Expires", "in " + std::to_string(minutes) + " minute" + (minutes == 1 ? "" : "s")) +
      "</table>\n<p>Approve only if you ran <code>apilocker register</code> yourself just now "
      "and your terminal shows this same code.</p>\n"
      "<form method=\"post\" action=\"/device\">" +
      hidden_field("user_code", user_code) +
      hidden_field(kCsrfField, csrf_token(session_token(ctx.req))) +
      "\n<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\">Approve"
      "</button>\n<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
      "</form>\n";
  return http::html(200, page("Register this device?", body));
}

/// The page for a code that cannot be decided (any more), or nullopt when it is pending.
std::optional<http::Response> settled_page(const Ctx& ctx, const std::string& user_code,
                                           const CodeView& c) {
  const bool mine = c.user_id == ctx.principal.user_id;
  if (c.status == "approved" && mine) {
    return message_page(
        200, "Device approved",
        "You approved " + user_code + ". Return to your terminal: registration finishes there.");
  }
  if (c.status == "denied" && mine) {
    return message_page(200, "Request denied",
                        "You denied " + user_code + ". The device was not registered.");
  }
  if (c.status != "pending") {
    return message_page(410, "Code already used",
                        "The code " + user_code +
                            " was already used. Run `apilocker register` "
                            "again to get a new one.",
                        "/device", "Enter another code");
  }
  if (c.expires_at <= util::now_ms()) {
    return message_page(410, "Code expired",
                        "The code " + user_code +
                            " has expired (codes last 10 minutes). Run "
                            "`apilocker register` again to get a new one.",
                        "/device", "Enter another code");
  }
  return std::nullopt;
}

http::Response unknown_code_page(const std::string& user_code) {
  return entry_page(404,
                    "No registration request has the code " + user_code +
                        ". Check the code in your terminal, or run `apilocker register` again.",
                    user_code);
}

/// The answer when the user or the address has guessed wrong too often this
/// minute (RFC 8628 §5.1): 429 with Retry-After and the time to wait.
http::Response too_many_guesses_page(const Error& e) {
  auto r = message_page(429, "Too many wrong codes",
                        "Too many codes that match no registration were entered from this account "
                        "or network (" +
                            e.message + "). Wait, then check the code in your terminal.",
                        "/device", "Enter the code again");
  r.headers.emplace_back("retry-after", std::to_string(e.retry_after_s));
  return r;
}

/// Looks `user_code` up unless this user or address is over its failure
/// limit; a code that matches nothing counts as a failure. Errors: the page
/// to answer with (429 over the limit, 404 unknown code, 5xx D1).
async::Task<std::variant<CodeView, http::Response>> guarded_lookup(Ctx& ctx,
                                                                   const std::string& user_code) {
  using Out = std::variant<CodeView, http::Response>;
  auto allowed = co_await ratelimit::check_failures(ctx, ratelimit::Guess::device_user_code);
  if (!allowed.ok()) {
    if (allowed.error().status == 429) co_return Out(too_many_guesses_page(allowed.error()));
    co_return Out(error_page(allowed.error(), "Try again"));
  }
  auto found = co_await find_code(ctx, user_code);
  if (!found.ok()) co_return Out(error_page(found.error(), "Try again"));
  if (found.value()) co_return Out(std::move(*found.value()));
  auto counted = co_await ratelimit::count_failure(ctx, ratelimit::Guess::device_user_code);
  if (!counted.ok()) co_return Out(error_page(counted.error(), "Try again"));
  co_return Out(unknown_code_page(user_code));
}

}  // namespace

Handler device_page(Ctx& ctx) {
  auto it = ctx.req.query.find("user_code");
  const std::string typed = it == ctx.req.query.end() ? std::string() : it->second.substr(0, 64);
  if (!ctx.principal.authenticated()) co_return to_sign_in(typed);
  if (typed.empty()) {
    co_return entry_page(200, "Enter the code that `apilocker register` shows in your terminal.",
                         "");
  }
  auto user_code = normalize_user_code(typed);
  if (!user_code) {
    co_return entry_page(400, "That is not a code: codes are 8 letters, like BCDF-GHJK.", typed);
  }
  auto found = co_await guarded_lookup(ctx, *user_code);
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  const CodeView& c = std::get<CodeView>(found);
  if (auto settled = settled_page(ctx, *user_code, c)) co_return std::move(*settled);
  co_return approval_page(ctx, *user_code, c);
}

Handler device_decide(Ctx& ctx) {
  auto form = http::parse_form(ctx.req.body);
  const std::string typed = form["user_code"].substr(0, 64);
  if (!ctx.principal.authenticated()) co_return to_sign_in(typed);
  if (!csrf_valid(session_token(ctx.req), form[kCsrfField])) co_return csrf_failed_page();
  const std::string decision = form["decision"];
  if (decision != "approve" && decision != "deny") {
    co_return message_page(400, "Choose Approve or Deny",
                           "The form did not say whether to approve or deny the device.",
                           "/device?user_code=" + http::url_encode(typed), "Back");
  }
  auto user_code = normalize_user_code(typed);
  if (!user_code) {
    co_return entry_page(400, "That is not a code: codes are 8 letters, like BCDF-GHJK.", typed);
  }
  auto looked_up = co_await guarded_lookup(ctx, *user_code);
  if (auto* refusal = std::get_if<http::Response>(&looked_up)) co_return std::move(*refusal);
  const CodeView& code = std::get<CodeView>(looked_up);
  if (auto settled = settled_page(ctx, *user_code, code)) co_return std::move(*settled);

  const bool approve = decision == "approve";
  const std::int64_t now = util::now_ms();
  const std::string pending = "user_code = ? AND status = 'pending' AND expires_at > ?";
  auto audit_row = insert_only_if(
      audit::insert(
          ctx, {.action = approve ? "device.approve" : "device.deny",
                .status = 200,
                .detail = code.hostname.empty() ? std::nullopt : std::optional(code.hostname)}),
      "EXISTS (SELECT 1 FROM device_codes WHERE " + pending + ")", {*user_code, now});
  if (!audit_row) co_return error_page(Error{}, "Try again");
  std::vector<async::Statement> batch;
  batch.push_back(std::move(*audit_row));
  batch.push_back(
      {"UPDATE device_codes SET status = ?1, user_id = ?2 WHERE user_code = ?3 AND "
       "status = 'pending' AND expires_at > ?4",
       {std::string(approve ? "approved" : "denied"), ctx.principal.user_id, *user_code, now}});
  auto rows = co_await ctx.io.d1_batch(std::move(batch));
  if (!rows.ok()) co_return error_page(rows.error(), "Try again");
  if (rows.value()[1].changes != 1) {
    // Decided by another request in the meantime (a double click, another tab).
    auto again = co_await find_code(ctx, *user_code);
    if (!again.ok()) co_return error_page(again.error(), "Try again");
    if (!again.value()) co_return unknown_code_page(*user_code);
    if (auto settled = settled_page(ctx, *user_code, *again.value())) co_return std::move(*settled);
    co_return error_page(unavailable("the decision was not recorded; try again"), "Try again");
  }
  if (approve) {
    co_return message_page(200, "Device approved",
                           "Approved " + *user_code +
                               ". Return to your terminal: the device is registered at its next "
                               "poll, within a few seconds.");
  }
  co_return message_page(200, "Request denied",
                         "Denied " + *user_code + ". The device was not registered.");
}

}  // namespace ve::auth::handlers
