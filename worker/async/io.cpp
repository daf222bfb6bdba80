#include "worker/async/io.hpp"

namespace ve::async {

namespace {
Error effect_error(const char* what, const std::string& detail) {
  // The detail comes from the host (KV/D1/fetch); it never contains our secrets
  // because bodies and values are not part of error messages there either.
  return unavailable(std::string(what) + " is unavailable: " + detail);
}
}  // namespace

void Io::count(const std::vector<Effect>& group) {
  bool d1 = false;
  bool kv = false;
  bool fetch = false;
  for (const auto& e : group) {
    if (std::holds_alternative<D1Batch>(e)) {
      d1 = true;
    } else if (std::holds_alternative<FetchRequest>(e)) {
      fetch = true;
    } else {
      kv = true;
    }
  }
  round_trips_.d1 += d1 ? 1 : 0;
  round_trips_.kv += kv ? 1 : 0;
  round_trips_.fetch += fetch ? 1 : 0;
}

Task<EffectResult> Io::perform_one(Effect effect) {
  std::vector<Effect> e;
  e.push_back(std::move(effect));
  auto r = co_await perform(std::move(e));
  if (r.size() != 1) co_return EffectResult{false, "no result for the effect", {}};
  co_return std::move(r[0]);
}

Task<Result<KvValue>> Io::kv_get(std::string key) {
  auto r = co_await perform_one(KvGet{std::move(key)});
  if (!r.ok) co_return effect_error("storage (KV)", r.error);
  co_return std::get<KvValue>(std::move(r.value));
}

Task<Result<void>> Io::kv_put(std::string key, std::string value) {
  auto r = co_await perform_one(KvPut{std::move(key), std::move(value)});
  if (!r.ok) co_return effect_error("storage (KV)", r.error);
  co_return Result<void>();
}

Task<Result<void>> Io::kv_delete(std::string key) {
  auto r = co_await perform_one(KvDelete{std::move(key)});
  if (!r.ok) co_return effect_error("storage (KV)", r.error);
  co_return Result<void>();
}

Task<Result<std::vector<Rows>>> Io::d1_batch(std::vector<Statement> statements) {
  auto r = co_await perform_one(D1Batch{std::move(statements)});
  if (!r.ok) co_return effect_error("database (D1)", r.error);
  co_return std::get<std::vector<Rows>>(std::move(r.value));
}

Task<Result<FetchResponse>> Io::fetch(FetchRequest request) {
  auto r = co_await perform_one(std::move(request));
  if (!r.ok) co_return Error{502, "upstream_unreachable", "upstream request failed: " + r.error};
  co_return std::get<FetchResponse>(std::move(r.value));
}

}  // namespace ve::async
