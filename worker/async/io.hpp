// Io: the per-request gateway to effects. Awaiting `perform` suspends the
// request until the host has run every effect in the group (concurrently where
// it can) and resumed the task with their results.
#pragma once
#include <coroutine>
#include <string>
#include <vector>

#include "worker/async/effect.hpp"
#include "worker/async/task.hpp"
#include "worker/result.hpp"

namespace ve::async {

/// The waits a request spent on each kind of storage or network: one per
/// effect group that held at least one effect of that kind (the effects of a
/// group run concurrently, so a group is one wait however many it holds). At
/// the edge each D1 round trip costs milliseconds: docs/architecture.md
/// "Round trips" gives the budget per route.
struct RoundTrips {
  int d1 = 0;     ///< groups with a d1.batch
  int kv = 0;     ///< groups with a kv.get, kv.put or kv.delete
  int fetch = 0;  ///< groups with an outbound fetch
};

class Io {
 public:
  /// Awaitable returned by perform(); yields one EffectResult per effect, in order.
  class Awaiter {
   public:
    Awaiter(Io& io, std::vector<Effect> effects) : io_(io), effects_(std::move(effects)) {}
    bool await_ready() const noexcept { return effects_.empty(); }
    void await_suspend(std::coroutine_handle<> h) {
      io_.count(effects_);
      io_.pending_ = std::move(effects_);
      io_.waiting_ = h;
    }
    std::vector<EffectResult> await_resume() { return std::move(io_.results_); }

   private:
    Io& io_;
    std::vector<Effect> effects_;
  };

  /// Runs independent effects together. Results come back in the same order.
  Awaiter perform(std::vector<Effect> effects) { return Awaiter(*this, std::move(effects)); }

  /// kv.get: the stored bytes, `found == false` when absent; error 503 when KV failed.
  Task<Result<KvValue>> kv_get(std::string key);
  /// kv.put: write-once blob; error 503 when KV failed.
  Task<Result<void>> kv_put(std::string key, std::string value);
  /// kv.delete; error 503 when KV failed.
  Task<Result<void>> kv_delete(std::string key);
  /// d1.batch: one transaction; one Rows per statement; error 503 when it did not commit.
  Task<Result<std::vector<Rows>>> d1_batch(std::vector<Statement> statements);
  /// fetch: the upstream response (any status); error 502 when it could not be reached.
  Task<Result<FetchResponse>> fetch(FetchRequest request);

  /// Round trips so far in this request (for its log line and the tests).
  const RoundTrips& round_trips() const { return round_trips_; }

  // ---- Driver side ----
  /// Effects the suspended request is waiting for (empty when it is not waiting).
  std::vector<Effect> take_pending() { return std::move(pending_); }
  /// Delivers results and returns the coroutine to resume.
  std::coroutine_handle<> deliver(std::vector<EffectResult> results) {
    results_ = std::move(results);
    return std::exchange(waiting_, {});
  }
  bool waiting() const { return static_cast<bool>(waiting_); }

 private:
  /// Runs one effect; a missing result comes back as a failed one.
  Task<EffectResult> perform_one(Effect effect);

  void count(const std::vector<Effect>& group);

  RoundTrips round_trips_;
  std::vector<Effect> pending_;
  std::vector<EffectResult> results_;
  std::coroutine_handle<> waiting_;
};

}  // namespace ve::async
