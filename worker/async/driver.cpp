#include "worker/async/driver.hpp"

#include <algorithm>

namespace ve::async {

namespace {
Driver::Step failed(std::uint32_t id, const char* why) {
  Driver::Step s;
  s.task_id = id;
  s.done = true;
  s.reply.response.status = 500;
  s.reply.response.headers = {{"content-type", "application/json"}};
  s.reply.response.body = std::string(R"({"error":")") + why + R"(","code":"internal"})";
  return s;
}
}  // namespace

Driver::Step Driver::begin(http::Request request) {
  const std::uint32_t id = next_task_++;
  auto running = std::make_unique<Running>();
  running->task.emplace(handler_(running->io, std::move(request)));
  auto& r = *running;
  tasks_.emplace(id, std::move(running));
  r.task->handle().resume();
  return advance(id, r);
}

Driver::Step Driver::resume(std::uint32_t task_id,
                            std::vector<std::pair<std::uint32_t, EffectResult>> results) {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end()) return failed(task_id, "unknown task");
  Running& r = *it->second;
  if (results.size() != r.awaited.size()) {
    tasks_.erase(it);
    return failed(task_id, "effect results do not match the effects asked for");
  }
  std::vector<EffectResult> ordered(r.awaited.size());
  for (auto& entry : results) {
    auto pos = std::find(r.awaited.begin(), r.awaited.end(), entry.first);
    if (pos == r.awaited.end()) {
      tasks_.erase(it);
      return failed(task_id, "effect results do not match the effects asked for");
    }
    ordered[pos - r.awaited.begin()] = std::move(entry.second);
  }
  r.awaited.clear();
  r.io.deliver(std::move(ordered)).resume();
  return advance(task_id, r);
}

Driver::Step Driver::abort(std::uint32_t task_id, const char* why) {
  tasks_.erase(task_id);
  auto s = failed(task_id, why);
  s.reply.response.status = 400;
  return s;
}

Driver::Step Driver::advance(std::uint32_t id, Running& r) {
  Step step;
  step.task_id = id;
  if (r.task->done()) {
    step.done = true;
    step.reply = r.task->take();
    tasks_.erase(id);
    return step;
  }
  auto effects = r.io.take_pending();
  if (effects.empty() || !r.io.waiting()) {
    // A coroutine suspended on something other than an effect: a core bug.
    tasks_.erase(id);
    return failed(id, "request suspended without effects");
  }
  for (auto& e : effects) {
    const std::uint32_t eid = next_effect_++;
    r.awaited.push_back(eid);
    step.effects.emplace_back(eid, std::move(e));
  }
  return step;
}

}  // namespace ve::async
