// Route handlers of the health domain (the route table is in routes.cpp).
#pragma once
#include "worker/api/context.hpp"
#include "worker/async/task.hpp"
#include "worker/http/message.hpp"

namespace ve::health {

/// GET /v1/doctor?rotation_max_age_days=&unused_after_days=&device_idle_days=
/// (each 1-3650 days, defaults 90 / 30 / 60) → the report of rules.hpp with a
/// `fix` {action, method, path} on every finding. 400 naming a bad threshold.
async::Task<http::Response> get_doctor(api::Ctx& ctx);

}  // namespace ve::health
