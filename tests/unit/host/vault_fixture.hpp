// Helpers for the vault's host tests: users with a device master token inserted
// straight into SQLite (the device flow is not under test here), authenticated
// JSON calls, and direct reads of the database and KV for assertions.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/host_runner.hpp"
#include "tests/unit/host/fixture.hpp"

namespace ve::test {

/// A user with one device and its master token (the bearer credential).
struct VaultUser {
  std::string user_id;
  std::string device_id;
  std::string token;  ///< vk_master_…, stored only as its SHA-256 (auth::credential_hash)
};

/// A JSON string's text, or "<not a string>" (for comparisons with std::string).
std::string str(const boost::json::value& v);

/// Inserts a user, a device and a master token (hashed) for `email`.
VaultUser add_user(host::HostRunner& host, const std::string& email);

/// `method` `path` (e.g. "/v1/keys") as `user`, with the headers the apilocker
/// CLI sends (Bearer token, Content-Type: application/json).
http::Response call(host::HostRunner& host, const VaultUser& user, const std::string& method,
                    const std::string& path, const std::string& body = "");

/// Same, with a literal body.
inline http::Response call(host::HostRunner& host, const VaultUser& user, const std::string& method,
                           const std::string& path, const char* body) {
  return call(host, user, method, path, std::string(body));
}

/// Same, with a JSON body.
http::Response call(host::HostRunner& host, const VaultUser& user, const std::string& method,
                    const std::string& path, const boost::json::value& body);

/// POST /v1/keys for an api_key; returns the new key id ("" when it failed).
std::string store_key(host::HostRunner& host, const VaultUser& user, const std::string& name,
                      const std::string& value, const std::string& provider = "openai");

/// First column of the first row of `sql` as text (nullopt when no row / NULL).
std::optional<std::string> scalar(host::HostRunner& host, const std::string& sql);
/// First column of the first row of `sql` as an integer (0 when no row / NULL).
std::int64_t scalar_int(host::HostRunner& host, const std::string& sql);

/// Row counts of the tables a failed request must not touch, and the KV size.
struct Footprint {
  std::int64_t keys = 0, versions = 0, aliases = 0, audit = 0;
  std::size_t kv = 0;
  bool operator==(const Footprint&) const = default;
};
Footprint footprint(host::HostRunner& host);

/// One request for run_interleaved().
struct Call {
  const VaultUser* user;
  std::string method;
  std::string path;
  std::string body;
};

/// Runs `calls` concurrently on one Driver over the host's SQLite and KV, in
/// lock step: each round performs the pending effects of every unfinished
/// request in turn (in list order), so their reads and writes interleave like
/// overlapping requests in one isolate. Returns the responses in order.
std::vector<http::Response> run_interleaved(host::HostRunner& host, const std::vector<Call>& calls);

/// The same for ready-made requests (absolute URLs, parsed with http::parse_url).
std::vector<http::Response> run_requests_interleaved(host::HostRunner& host,
                                                     std::vector<http::Request> requests);

/// The whole SQLite database image (sqlite3_serialize), to scan for plaintext.
std::string database_image(host::HostRunner& host);

/// True when `needle` occurs in the database image or in any KV key or value.
bool stored_anywhere(host::HostRunner& host, std::string_view needle);

}  // namespace ve::test
