// Liveness: answers without any I/O, so benchmarks can measure the runtime's
// ceiling for a request through the shim and the core.
#include <boost/json.hpp>

#include "worker/api/domains.hpp"
#include "worker/http/reply.hpp"

namespace ve::api {

namespace {
async::Task<http::Response> healthz(Ctx&) {
  co_return http::json(200, boost::json::object{{"status", "ok"}, {"service", "vaultedge"}});
}
}  // namespace

std::vector<Route> system_routes() { return {{"GET", "/healthz", Access::open, &healthz}}; }

}  // namespace ve::api
