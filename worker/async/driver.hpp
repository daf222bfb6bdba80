// Driver: owns the in-flight request tasks and steps them between effects.
// Both faces of the core use it: wasm/exports.cpp (effects run by the JS shim)
// and host/ (effects run against SQLite and an in-memory KV).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "worker/async/io.hpp"
#include "worker/http/message.hpp"

namespace ve::async {

/// The application: one coroutine per request. The Request is passed by value
/// so it lives in the coroutine frame.
using Handler = std::function<Task<http::Reply>(Io&, http::Request)>;

class Driver {
 public:
  /// Either the finished reply, or effects (with ids unique within the task)
  /// that must all be answered in one resume().
  struct Step {
    std::uint32_t task_id = 0;
    bool done = false;
    http::Reply reply;
    std::vector<std::pair<std::uint32_t, Effect>> effects;
  };

  explicit Driver(Handler handler) : handler_(std::move(handler)) {}

  /// Starts a request and runs it until it finishes or waits for effects.
  Step begin(http::Request request);
  /// Answers the effects of `task_id` (any order; each id once) and runs on.
  /// An unknown task id or a wrong set of ids yields a done step with status 500.
  Step resume(std::uint32_t task_id, std::vector<std::pair<std::uint32_t, EffectResult>> results);
  /// Ends a task whose results could not even be decoded; a done step with 400.
  Step abort(std::uint32_t task_id, const char* why);
  /// Requests started and not yet finished.
  std::size_t live() const { return tasks_.size(); }
  /// Requests in flight across every Driver of this instance (for /healthz,
  /// which counts itself).
  static std::size_t live_everywhere() { return live_everywhere_; }

 private:
  struct Running {
    Running() { ++live_everywhere_; }
    ~Running() { --live_everywhere_; }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    Io io;
    // Created after `io`, which the handler keeps a reference to.
    std::optional<Task<http::Reply>> task;
    std::vector<std::uint32_t> awaited;  // effect ids, in the order Io wants results
  };
  Step advance(std::uint32_t id, Running& running);

  static inline std::size_t live_everywhere_ = 0;
  Handler handler_;
  std::map<std::uint32_t, std::unique_ptr<Running>> tasks_;
  std::uint32_t next_task_ = 1;
  std::uint32_t next_effect_ = 1;
};

}  // namespace ve::async
