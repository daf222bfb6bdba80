// proxy_request: call a provider's API with a stored key injected server-side
// (docs/proxy.md "The proxy"). The agent names the key and the request; the
// vault adds the credential, forwards the request, and returns the provider's
// answer with the key redacted. The model never sees the key.
// proxy::forward() does the work (rate limit, may_use_key, policy, audit row).
#include <cstdint>
#include <string>
#include <string_view>

#include "worker/crypto/encoding.hpp"
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/schemas.hpp"
#include "worker/mcp/tools/tools.hpp"
#include "worker/proxy/forward.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

/// RFC 3629 §4: well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1fU;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0fU;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0U) != 0x80U) return false;
      cp = (cp << 6) | (cc & 0x3fU);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

async::Task<ToolResult> proxy_request(CallCtx& ctx, const bj::object& args) {
  const std::string ref = arg_string(args, "key").value_or("");
  proxy::ProxyRequest request;
  request.method = arg_string(args, "method").value_or("");
  request.path = arg_string(args, "path").value_or("");
  request.body = arg_string(args, "body").value_or("");
  if (const auto* h = args.if_contains("headers"); h != nullptr && h->is_object()) {
    for (const auto& [name, value] : h->as_object()) {
      if (!value.is_string()) {
        co_return failed(bad_request("header '" + std::string(name).substr(0, 64) +
                                     "' must have a string value"));
      }
      request.headers.emplace_back(std::string(name), std::string(value.as_string()));
    }
  }

  // The audit row names the MCP client, as rest_call does for the REST tools.
  auth::Principal principal = ctx.api.principal;
  if (!ctx.client.empty()) principal.client = ctx.client;
  api::Ctx inner{ctx.api.config,     ctx.api.io,           ctx.api.req,  {},
                 ctx.api.started_ms, std::move(principal), ctx.api.route};
  auto r = co_await proxy::forward(inner, ref, std::move(request));
  if (!r.ok()) {
    Error e = r.error();
    if (e.status == 404 && e.code == "not_found") {
      e.message = "no key '" + ref.substr(0, 128) +
                  "' in your vault: call list_keys to see your keys' names and ids";
    } else if (e.code == "key_paused") {
      e.message += " (or call resume_key if the user agrees)";
    }
    e.message = mcp_wording(std::move(e.message));
    co_return failed(e);
  }
  proxy::ProxyResponse& resp = r.value();
  bj::object headers;
  for (const auto& [name, value] : resp.headers) {
    if (auto* existing = headers.if_contains(name); existing != nullptr) {
      existing->as_string().append(", ");
      existing->as_string().append(value);
    } else {
      headers[name] = value;
    }
  }
  const bool utf8 = is_utf8(resp.body);
  bj::object out{{"status", resp.status},
                 {"headers", std::move(headers)},
                 {"body", utf8 ? resp.body : crypto::base64_encode(resp.body)},
                 {"body_encoding", utf8 ? "utf-8" : "base64"},
                 {"redacted", static_cast<std::int64_t>(resp.redacted)}};
  ToolResult result = ToolResult::success(std::move(out));
  result.key_id = resp.key_id;
  co_return result;
}

constexpr const char* kInput =
    R"js({"type":"object","properties":{)js"
    R"js("key":{"type":"string","minLength":1,"maxLength":256,"description":"The key to use: its name (e.g. OPENAI_API_KEY), its id (key_...) or a former name. It must have a base_url; list_keys shows it."},)js"
    R"js("method":{"type":"string","enum":["GET","HEAD","POST","PUT","PATCH","DELETE"],"description":"HTTP method of the provider call"},)js"
    R"js("path":{"type":"string","minLength":1,"maxLength":8192,"pattern":"^/","description":"Path (and ?query) appended to the key's base_url, starting with '/', e.g. /v1/models. No '..' segments, fragments or other hosts."},)js"
    R"js("headers":{"type":"object","additionalProperties":{"type":"string","maxLength":8192},"description":"Extra request headers, e.g. {\"content-type\": \"application/json\"}. Authorization, Cookie and the provider's key header are dropped: the vault injects the key itself."},)js"
    R"js("body":{"type":"string","maxLength":1048576,"description":"Request body as text (at most 1 MiB), e.g. a JSON document; not for GET or HEAD"})js"
    R"js(},"required":["key","method","path"],"additionalProperties":false})js";

constexpr const char* kOutput =
    R"js({"type":"object","properties":{)js"
    R"js("status":{"type":"integer","description":"The provider's HTTP status (a 3xx is returned as is, never followed)"},)js"
    R"js("headers":{"type":"object","additionalProperties":{"type":"string"},"description":"The provider's response headers (lower-case names; hop-by-hop, Set-Cookie and framing headers removed; the key redacted)"},)js"
    R"js("body":{"type":"string","description":"The provider's response body with the key replaced by [REDACTED]"},)js"
    R"js("body_encoding":{"type":"string","enum":["utf-8","base64"],"description":"base64 when the body is not valid UTF-8"},)js"
    R"js("redacted":{"type":"integer","minimum":0,"description":"How many occurrences of the key were replaced by [REDACTED]"})js"
    R"js(},"required":["status","headers","body","body_encoding","redacted"]})js";

}  // namespace

Tool proxy_request_tool() {
  return {
      "proxy_request",
      "Call a provider's API with a stored key",
      "Send an HTTP request to the API a stored key belongs to (the key's base_url + 'path'), "
      "with the key injected server-side the way that provider expects (bearer token, API-key "
      "header, basic auth or query parameter). You never see the key: it is added by the vault "
      "and redacted as [REDACTED] from the provider's response, which is returned as is "
      "(status, headers, body). Prefer this over reveal_key whenever the user wants to USE a "
      "key rather than see it. The call really reaches the provider and may change or cost "
      "something there (e.g. POST, DELETE), so only make the calls the user asked for. Paused "
      "keys and keys without a base_url cannot be used. Every call is audit-logged without its "
      "query, headers or bodies.",
      kInput,
      kOutput,
      {.read_only = false, .destructive = true, .idempotent = false, .open_world = true},
      "vault:proxy",
      &proxy_request,
      /*honours_allowed_keys=*/true,  // forward() checks Principal::may_use_key
  };
}

}  // namespace ve::mcp::tools
