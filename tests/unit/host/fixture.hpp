// Shared fixture for host tests: a HostRunner with a throwaway keyring.
#pragma once
#include <boost/json.hpp>
#include <string>

#include "host/host_runner.hpp"

namespace ve::test {

/// A fresh runner (empty SQLite with migrations, empty KV, development mode)
/// whose keyring is generated for this process; nothing here is a real secret.
host::HostRunner make_runner(std::string environment = "development");

/// Parses a JSON response body (aborts the test binary on invalid JSON).
boost::json::value body_json(const http::Response& r);

}  // namespace ve::test
