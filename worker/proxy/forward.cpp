#include "worker/proxy/forward.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "worker/audit/audit.hpp"
#include "worker/crypto/wipe.hpp"
#include "worker/proxy/policy.hpp"
#include "worker/proxy/request.hpp"
#include "worker/proxy/response.hpp"
#include "worker/proxy/scrub.hpp"
#include "worker/ratelimit/limit.hpp"
#include "worker/util/time.hpp"
#include "worker/vault/access.hpp"
#include "worker/vault/key_store.hpp"
#include "worker/vault/providers.hpp"
#include "worker/vault/validate.hpp"

namespace ve::proxy {

namespace {

constexpr std::size_t kMaxDetailPath = 256;
constexpr std::size_t kMaxUpstreamError = 200;

/// Wipes a secret-bearing string when the scope ends, whichever path leaves it.
struct WipeString {
  explicit WipeString(std::string& text) : s(text) {}
  std::string& s;
  WipeString(const WipeString&) = delete;
  WipeString& operator=(const WipeString&) = delete;
  ~WipeString() { crypto::secure_wipe(s); }
};
struct WipeForms {
  explicit WipeForms(std::vector<std::string>& f) : forms(f) {}
  std::vector<std::string>& forms;
  WipeForms(const WipeForms&) = delete;
  WipeForms& operator=(const WipeForms&) = delete;
  ~WipeForms() { wipe_forms(forms); }
};

bool allowed_method(const std::string& m) {
  return m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

/// "METHOD where → outcome", `where` without any query string.
std::string detail_of(const std::string& method, std::string where, const std::string& outcome) {
  where = where.substr(0, where.find('?'));
  if (where.size() > kMaxDetailPath) where = where.substr(0, kMaxDetailPath) + "...";
  return method + " " + where + " \xE2\x86\x92 " + outcome;
}

/// Audits a refusal after the key is known (status = ours) and returns `e`.
/// A failed audit write does not hide the refusal itself.
async::Task<Result<ProxyResponse>> refused(api::Ctx& ctx, const vault::KeyRecord& key,
                                           const std::string& method, const std::string& where,
                                           Error e) {
  auto written = co_await audit::record(
      ctx, {"key.proxy",
            e.status,
            key.id,
            key.name,
            {},
            detail_of(method, where, std::to_string(e.status) + " " + e.code)});
  (void)written;
  co_return e;
}

/// The fetch effect's failure as our error; `message` may quote the upstream
/// URL, so it is scrubbed of the key before it is shown.
Error fetch_error(std::string message, const std::vector<std::string>& forms,
                  const std::string& host) {
  if (message.find("timed out") != std::string::npos) {
    return Error{504, "upstream_timeout",
                 "the provider (" + host + ") did not answer within 30 seconds"};
  }
  if (message.find("larger than") != std::string::npos) {
    return Error{502, "upstream_too_large",
                 "the response of the provider (" + host +
                     ") is larger than 4 MiB; ask for less (pagination, filters)"};
  }
  scrub(message, forms);
  if (message.size() > kMaxUpstreamError) message = message.substr(0, kMaxUpstreamError) + "...";
  return Error{502, "upstream_unreachable",
               "could not reach the provider (" + host + "): " + message};
}

/// Why an upstream answer cannot be passed on, if it cannot: a status no HTTP
/// response may carry as final (RFC 9110 §15: 1xx are interim, three digits
/// at most), or a body in a content coding the runtime did not decode (the
/// scrubber would read compressed bytes, the caller could inflate the key).
std::optional<Error> unusable(const async::FetchResponse& upstream, const std::string& host) {
  if (upstream.status < 200 || upstream.status > 599) {
    return Error{502, "upstream_invalid",
                 "the provider (" + host + ") answered with HTTP status " +
                     std::to_string(upstream.status) +
                     ", which is not a final response; its answer was discarded"};
  }
  if (!body_decoded(upstream.headers)) {
    return Error{502, "upstream_encoding",
                 "the provider (" + host +
                     ") answered in a content coding the proxy cannot read (only gzip and br "
                     "are decoded), so its answer was discarded: ask it for an uncompressed "
                     "response"};
  }
  return std::nullopt;
}

}  // namespace

async::Task<Result<ProxyResponse>> forward(api::Ctx& ctx, const std::string& key_ref,
                                           ProxyRequest request) {
  // 1. rate limit
  auto limited = co_await ratelimit::consume(ctx, ratelimit::Action::proxy);
  if (!limited.ok()) co_return limited.error();

  // 2. the key's metadata: nothing is decrypted until every check has passed
  auto loaded = co_await vault::load_key(ctx, key_ref);
  if (!loaded.ok()) co_return loaded.error();
  const vault::KeyRecord key = std::move(loaded.value());
  const std::string& method = request.method;
  const std::string& where = request.path;

  // 3. may this principal use it, and is it usable through the proxy
  if (!ctx.principal.may_use_key(key.id)) {
    // The owner's activity says why; the caller learns no more than for a key
    // that does not exist (as every other route answers a scoped token).
    auto audited = co_await refused(ctx, key, method, where,
                                    Error{403, "key_not_allowed", "not one of the allowed keys"});
    (void)audited;
    co_return vault::key_not_found(key_ref);
  }
  if (key.paused_at) {
    co_return co_await refused(ctx, key, method, where,
                               conflict("key '" + key.name +
                                            "' is paused, so proxy use is blocked: resume it "
                                            "(apilocker resume " +
                                            key.name + ") to use it again",
                                        "key_paused"));
  }
  if (!key.base_url || key.base_url->empty()) {
    co_return co_await refused(
        ctx, key, method, where,
        bad_request("key '" + key.name +
                        "' has no base_url, so it cannot be used through the proxy: store it "
                        "again with a base_url (https://...) to enable proxy use",
                    "no_base_url"));
  }
  if (key.credential_type != "api_key") {
    co_return co_await refused(
        ctx, key, method, where,
        bad_request("key '" + key.name + "' is an " + key.credential_type +
                        " credential; only api_key values can be injected by the proxy",
                    "unsupported_credential"));
  }
  if (!allowed_method(method)) {
    co_return co_await refused(
        ctx, key, method, where,
        Error{405, "method_not_allowed",
              "method '" + method.substr(0, 16) +
                  "' cannot be proxied: use GET, HEAD, POST, PUT, PATCH or DELETE"});
  }
  if (request.body.size() > kMaxRequestBody) {
    co_return co_await refused(
        ctx, key, method, where,
        Error{413, "body_too_large", "the request body is larger than 1 MiB"});
  }
  if ((method == "GET" || method == "HEAD") && !request.body.empty()) {
    co_return co_await refused(ctx, key, method, where,
                               bad_request("a " + method + " request cannot carry a body"));
  }
  for (const auto& [name, value] : request.headers) {
    if (auto ok = check_header(name, value); !ok.ok()) {
      co_return co_await refused(ctx, key, method, where, ok.error());
    }
  }
  const auto auth = vault::resolve_auth(key.provider, key.auth_header_type);
  if (!auth) {
    co_return co_await refused(
        ctx, key, method, where,
        bad_request("key '" + key.name + "' has an injection rule the proxy does not know",
                    "unsupported_auth"));
  }

  // 4. destination policy
  auto dest = destination(*key.base_url, request.path, ctx.config.development());
  if (!dest.ok()) co_return co_await refused(ctx, key, method, where, dest.error());

  // 5. the value, then the upstream call
  auto opened = co_await vault::open_value_of(ctx, key);
  if (!opened.ok()) co_return opened.error();
  std::string secret = std::move(opened.value());
  WipeString wipe_secret{secret};
  if (secret.size() < vault::kMinValueBytes) {
    // Stored before values had a minimum: its redaction would match ordinary text.
    co_return co_await refused(
        ctx, key, method, where,
        conflict("key '" + key.name + "' holds a value shorter than " +
                     std::to_string(vault::kMinValueBytes) +
                     " characters, which the proxy does not inject: rotate it to the full "
                     "credential (apilocker rotate " +
                     key.name + ")",
                 "value_too_short"));
  }
  std::vector<std::string> forms = secret_forms(secret, *auth);
  WipeForms wipe_forms_guard{forms};
  async::FetchRequest fetch;
  fetch.method = method;
  fetch.url = dest.value().url;
  fetch.headers = forwarded_request_headers(request.headers, injection_header(*auth));
  fetch.body = std::move(request.body);
  fetch.timeout_ms = kTimeoutMs;
  fetch.max_response_bytes = kMaxResponseBody;
  const vault::Provider* provider = vault::find_provider(key.provider);
  inject(fetch, *auth,
         provider != nullptr ? provider->headers : std::span<const vault::StaticHeader>{}, secret);
  std::vector<async::Effect> effects;
  effects.emplace_back(std::move(fetch));
  // The effect (and the key injected into it) now belongs to the host.
  std::vector<async::EffectResult> results = co_await ctx.io.perform(std::move(effects));
  const std::string where_final = dest.value().host + dest.value().path;
  if (results.size() != 1 || !results[0].ok ||
      !std::holds_alternative<async::FetchResponse>(results[0].value)) {
    std::string message = results.size() == 1 ? results[0].error : "no result for the fetch";
    Error e = fetch_error(std::move(message), forms, dest.value().host);
    co_return co_await refused(ctx, key, method, where_final, std::move(e));
  }
  auto upstream = std::get<async::FetchResponse>(std::move(results[0].value));
  results.clear();
  if (auto bad = unusable(upstream, dest.value().host)) {
    crypto::secure_wipe(upstream.body);
    for (auto& [name, value] : upstream.headers) crypto::secure_wipe(value);
    co_return co_await refused(ctx, key, method, where_final, std::move(*bad));
  }

  // 6. scrub
  ProxyResponse out;
  out.status = upstream.status;
  out.key_id = key.id;
  const std::size_t upstream_bytes = upstream.body.size();
  out.headers = forwarded_response_headers(upstream.headers);
  out.redacted = scrub_headers(out.headers, forms);
  for (auto& [name, value] : upstream.headers) crypto::secure_wipe(value);
  out.body = std::move(upstream.body);
  out.redacted += scrub(out.body, forms);

  // 7. audit + last use, one batch
  std::vector<async::Statement> batch;
  batch.push_back({"UPDATE keys SET last_used_at = ?3 WHERE user_id = ?1 AND id = ?2",
                   {ctx.principal.user_id, key.id, util::now_ms()}});
  batch.push_back(audit::insert(ctx, {"key.proxy",
                                      upstream.status,
                                      key.id,
                                      key.name,
                                      {},
                                      detail_of(method, where_final,
                                                std::to_string(upstream.status) + ", " +
                                                    std::to_string(upstream_bytes) + " bytes")}));
  auto committed = co_await ctx.io.d1_batch(std::move(batch));
  if (!committed.ok()) {
    crypto::secure_wipe(out.body);
    co_return Error{503, "audit_unavailable",
                    "the provider answered (HTTP " + std::to_string(out.status) +
                        ") but the call could not be recorded in the audit log, so its answer "
                        "is withheld; the request did reach the provider, so check before "
                        "repeating a non-idempotent call"};
  }
  co_return out;
}

}  // namespace ve::proxy
