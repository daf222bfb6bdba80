// Helpers for the auth host tests: a tiny browser (cookie jar, hidden form
// fields), SQL peeks, and the device flow's steps.
#pragma once
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/host_runner.hpp"

namespace ve::test {

/// Value of the first response header `name` (lower-case), or "".
std::string header(const http::Response& r, std::string_view name);
/// All Set-Cookie values of a response.
std::vector<std::string> set_cookies(const http::Response& r);
/// The Set-Cookie value for cookie `name`, or "".
std::string set_cookie_for(const http::Response& r, std::string_view name);
/// value="…" of the `<input name="name">` in `html` (entities &amp; &quot; &lt; &gt; &#39;
/// decoded).
std::optional<std::string> hidden_value(const std::string& html, const std::string& name);
/// application/x-www-form-urlencoded body.
std::string form(const std::vector<std::pair<std::string, std::string>>& fields);
/// The decoded query parameter `name` of an absolute or relative URL.
std::string query_param(const std::string& url, const std::string& name);

/// A browser: keeps cookies between requests (no redirects followed).
class Browser {
 public:
  explicit Browser(host::HostRunner& host, std::string origin = "http://127.0.0.1")
      : host_(host), origin_(std::move(origin)) {}
  http::Response get(const std::string& path);
  /// GET with extra headers (e.g. cf-connecting-ip, as the edge sets it).
  http::Response get(const std::string& path, async::Headers headers);
  http::Response post_form(const std::string& path, const std::string& body);
  /// POST with extra headers (e.g. Origin, Content-Type).
  http::Response post(const std::string& path, const std::string& body, async::Headers headers);
  /// A fetch of the dashboard: same-origin, JSON, and for an unsafe method the
  /// `X-CSRF-Token` header with the token GET /v1/auth/me hands this session.
  http::Response fetch(const std::string& method, const std::string& path,
                       const std::string& body = "");
  /// csrf_token of GET /v1/auth/me for this browser's session ("" when not signed in).
  std::string csrf_token();
  std::map<std::string, std::string>& cookies() { return jar_; }
  /// Signs in through the development form as `email`; the session cookie is kept.
  void dev_sign_in(const std::string& email);

 private:
  http::Response send(std::string method, const std::string& path, std::string body,
                      async::Headers headers);
  host::HostRunner& host_;
  std::string origin_;
  std::map<std::string, std::string> jar_;
};

/// A runner with a throwaway keyring plus `vars` (e.g. sign-in provider settings).
host::HostRunner make_runner_with(std::map<std::string, std::string> vars);

/// Runs SQL that returns nothing (test set-up); aborts on error.
void exec_sql(host::HostRunner& host, const std::string& sql);
/// First column of the first row as an integer (e.g. COUNT(*)); -1 when no row.
long long sql_int(host::HostRunner& host, const std::string& sql);
/// First column of the first row as text; "" when no row or NULL.
std::string sql_text(host::HostRunner& host, const std::string& sql);
/// True when `needle` occurs in any TEXT/BLOB cell of any table.
bool db_contains(host::HostRunner& host, const std::string& needle);

/// POST JSON to `path` (with a bearer token when not empty).
http::Response post_json(host::HostRunner& host, const std::string& path, const std::string& body,
                         const std::string& bearer = "");
/// GET `path` with a bearer token.
http::Response get_bearer(host::HostRunner& host, const std::string& path,
                          const std::string& bearer);

struct DeviceStart {
  std::string device_code;
  std::string user_code;
  boost::json::object body;
};
/// POST /v1/cli-auth/start with typical CLI metadata.
DeviceStart start_device(host::HostRunner& host, const std::string& hostname = "laptop");
/// POST /v1/cli-auth/poll for `device_code`.
http::Response poll(host::HostRunner& host, const std::string& device_code);
/// Lets the next poll through the interval check (moves last_poll_at back).
void age_last_poll(host::HostRunner& host);
/// Shows /device?user_code and submits `decision` with the page's CSRF token.
http::Response decide(Browser& browser, const std::string& user_code, const std::string& decision);
/// A registered device for a fresh dev-form user: its master token and device id.
struct Registered {
  std::string token, device_id, user_id, email;
};
Registered register_device(host::HostRunner& host, Browser& browser, const std::string& hostname);

}  // namespace ve::test
