// The in-process host: runs the core's requests to completion, performing
// their effects against real SQLite (with our real migrations, the D1 dialect)
// and an in-memory KV. Unit tests use it to exercise handlers and SQL without
// workerd; it is not a server.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "worker/async/driver.hpp"
#include "worker/config/config.hpp"

struct sqlite3;

namespace ve::host {

class HostRunner {
 public:
  /// Outbound fetches go to this function (tests answer them; unset → effect fails).
  using FetchFn = std::function<async::EffectResult(const async::FetchRequest&)>;

  /// `vars` as the Worker env would have them; aborts if they do not configure
  /// (a broken test fixture, not input). Applies every migrations/*.sql in order.
  explicit HostRunner(std::map<std::string, std::string> vars);
  ~HostRunner();
  HostRunner(const HostRunner&) = delete;
  HostRunner& operator=(const HostRunner&) = delete;

  /// Runs one request to completion. `url` is absolute (http://127.0.0.1/…);
  /// the client address is the `cf-connecting-ip` header's (lower-case name),
  /// else 127.0.0.1.
  http::Response request(std::string method, std::string url, std::string body = "",
                         async::Headers headers = {});
  /// Runs a Cron Trigger's run to completion, as the `scheduled` export does
  /// (wasm/ABI.md "Scheduled"); the answer is the core's done Output.
  http::Response scheduled(std::string cron = "17 * * * *");
  /// Runs one effect as the JS shim would.
  async::EffectResult perform(const async::Effect& effect);

  std::map<std::string, std::string>& kv() { return kv_; }
  sqlite3* db() { return db_; }
  void set_fetch(FetchFn fn) { fetch_ = std::move(fn); }
  /// Test-only fault: while on, every kv.delete fails (as the shim reports a
  /// KV error) and deletes nothing, so tests can see what a failed delete leaves.
  void set_kv_delete_fails(bool fails) { kv_delete_fails_ = fails; }
  const config::Config& config() const { return *config_; }
  std::size_t live_tasks() const { return driver_->live(); }

 private:
  /// Drives one task (a request or a scheduled run) to its answer.
  http::Response run(http::Request req);
  async::EffectResult run_batch(const async::D1Batch& batch);

  sqlite3* db_ = nullptr;
  std::map<std::string, std::string> kv_;
  FetchFn fetch_;
  bool kv_delete_fails_ = false;
  std::unique_ptr<config::Config> config_;
  std::unique_ptr<async::Driver> driver_;
};

}  // namespace ve::host
