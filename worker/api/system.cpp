// Liveness (answers without any I/O, so benchmarks can measure the runtime's
// ceiling for a request through the shim and the core). The site root and the
// other dashboard pages are static assets (wrangler.toml [assets],
// docs/dashboard.md), not core routes.
#include <boost/json.hpp>

#include "worker/api/domains.hpp"
#include "worker/async/driver.hpp"
#include "worker/http/reply.hpp"

namespace ve::api {

namespace {
/// `tasks_in_flight`: other requests suspended on effects in this instance
/// right now; tests use it to prove that finished requests leave nothing behind.
async::Task<http::Response> healthz(Ctx&) {
  const auto others = async::Driver::live_everywhere() - 1;
  co_return http::json(
      200,
      boost::json::object{{"status", "ok"}, {"service", "vaultedge"}, {"tasks_in_flight", others}});
}

}  // namespace

std::vector<Route> system_routes() {
  return {{"GET", "/healthz", Access::open, &healthz}};
}

}  // namespace ve::api
