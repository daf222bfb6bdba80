// The wasm face of the core: the exports of wasm/ABI.md. Each call decodes its
// input, steps the Driver and leaves the encoded Output in one static buffer
// that stays valid until the next call (JS copies it at once).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "wasm/codec.hpp"
#include "worker/api/app.hpp"
#include "worker/config/config.hpp"

namespace {

std::string g_out;  // [u32 length][Output]
std::unique_ptr<ve::config::Config> g_config;
std::unique_ptr<ve::async::Driver> g_driver;

std::uint32_t publish(const std::string& message) {
  g_out.clear();
  auto n = static_cast<std::uint32_t>(message.size());
  g_out.append(reinterpret_cast<const char*>(&n), sizeof n);
  g_out.append(message);
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(g_out.data()));
}

/// Takes ownership of an input buffer made by alloc().
std::string take_input(std::uint32_t ptr, std::uint32_t len) {
  // The ABI passes linear-memory addresses as u32 (wasm/ABI.md): this cast is the point.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  auto* p = reinterpret_cast<char*>(static_cast<std::uintptr_t>(ptr));
  std::string s(p, len);
  std::free(p);
  return s;
}

ve::async::Driver::Step bad_input(const char* what) {
  ve::async::Driver::Step s;
  s.done = true;
  s.reply.response = ve::api::error_response({400, "invalid_request", what});
  return s;
}

}  // namespace

extern "C" {

__attribute__((export_name("alloc"))) std::uint32_t ve_alloc(std::uint32_t len) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(std::malloc(len ? len : 1)));
}

__attribute__((export_name("configure"))) std::uint32_t ve_configure(std::uint32_t ptr,
                                                                     std::uint32_t len) {
  std::map<std::string, std::string> vars;
  if (!ve::wasm::decode_config(take_input(ptr, len), vars)) {
    return publish(ve::wasm::encode_config_reply(false, "configuration message is malformed"));
  }
  auto config = ve::config::Config::from_vars(vars);
  if (!config.ok()) return publish(ve::wasm::encode_config_reply(false, config.error().message));
  g_config = std::make_unique<ve::config::Config>(std::move(config).value());
  g_driver = std::make_unique<ve::async::Driver>(ve::api::make_handler(*g_config));
  return publish(ve::wasm::encode_config_reply(true, ""));
}

__attribute__((export_name("begin"))) std::uint32_t ve_begin(std::uint32_t ptr, std::uint32_t len) {
  if (!g_driver) return publish(ve::wasm::encode_step(bad_input("core is not configured")));
  ve::http::Request req;
  if (!ve::wasm::decode_request(take_input(ptr, len), req)) {
    return publish(ve::wasm::encode_step(bad_input("request could not be decoded")));
  }
  return publish(ve::wasm::encode_step(g_driver->begin(std::move(req))));
}

__attribute__((export_name("scheduled"))) std::uint32_t ve_scheduled(std::uint32_t ptr,
                                                                     std::uint32_t len) {
  if (!g_driver) return publish(ve::wasm::encode_step(bad_input("core is not configured")));
  ve::http::Request req;
  if (!ve::wasm::decode_scheduled(take_input(ptr, len), req)) {
    return publish(ve::wasm::encode_step(bad_input("scheduled event could not be decoded")));
  }
  return publish(ve::wasm::encode_step(g_driver->begin(std::move(req))));
}

__attribute__((export_name("resume"))) std::uint32_t ve_resume(std::uint32_t ptr,
                                                               std::uint32_t len) {
  std::uint32_t task = 0;
  std::vector<std::pair<std::uint32_t, ve::async::EffectResult>> results;
  if (!g_driver) return publish(ve::wasm::encode_step(bad_input("core is not configured")));
  if (!ve::wasm::decode_results(take_input(ptr, len), task, results)) {
    // Free the task (if the id was readable) so a bad message cannot leak it.
    return publish(
        ve::wasm::encode_step(g_driver->abort(task, "effect results could not be decoded")));
  }
  return publish(ve::wasm::encode_step(g_driver->resume(task, std::move(results))));
}

__attribute__((export_name("tasks_live"))) std::uint32_t ve_tasks_live() {
  return g_driver ? static_cast<std::uint32_t>(g_driver->live()) : 0;
}

}  // extern "C"
