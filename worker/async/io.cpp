#include "worker/async/io.hpp"

namespace ve::async {

namespace {
Error effect_error(const char* what, const std::string& detail) {
  // The detail comes from the host (KV/D1/fetch); it never contains our secrets
  // because bodies and values are not part of error messages there either.
  return unavailable(std::string(what) + " is unavailable: " + detail);
}
}  // namespace

Task<Result<KvValue>> Io::kv_get(std::string key) {
  std::vector<Effect> e;
  e.emplace_back(KvGet{std::move(key)});
  auto r = co_await perform(std::move(e));
  if (r.size() != 1 || !r[0].ok)
    co_return effect_error("storage (KV)", r.empty() ? "" : r[0].error);
  co_return std::get<KvValue>(std::move(r[0].value));
}

Task<Result<void>> Io::kv_put(std::string key, std::string value) {
  std::vector<Effect> e;
  e.emplace_back(KvPut{std::move(key), std::move(value)});
  auto r = co_await perform(std::move(e));
  if (r.size() != 1 || !r[0].ok)
    co_return effect_error("storage (KV)", r.empty() ? "" : r[0].error);
  co_return Result<void>();
}

Task<Result<void>> Io::kv_delete(std::string key) {
  std::vector<Effect> e;
  e.emplace_back(KvDelete{std::move(key)});
  auto r = co_await perform(std::move(e));
  if (r.size() != 1 || !r[0].ok)
    co_return effect_error("storage (KV)", r.empty() ? "" : r[0].error);
  co_return Result<void>();
}

Task<Result<std::vector<Rows>>> Io::d1_batch(std::vector<Statement> statements) {
  std::vector<Effect> e;
  e.emplace_back(D1Batch{std::move(statements)});
  auto r = co_await perform(std::move(e));
  if (r.size() != 1 || !r[0].ok)
    co_return effect_error("database (D1)", r.empty() ? "" : r[0].error);
  co_return std::get<std::vector<Rows>>(std::move(r[0].value));
}

Task<Result<FetchResponse>> Io::fetch(FetchRequest request) {
  std::vector<Effect> e;
  e.emplace_back(std::move(request));
  auto r = co_await perform(std::move(e));
  if (r.size() != 1 || !r[0].ok) {
    co_return Error{502, "upstream_unreachable",
                    "upstream request failed: " + (r.empty() ? std::string() : r[0].error)};
  }
  co_return std::get<FetchResponse>(std::move(r[0].value));
}

}  // namespace ve::async
