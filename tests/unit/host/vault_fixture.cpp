#include "tests/unit/host/vault_fixture.hpp"

#include <sqlite3.h>

#include <cstdlib>

#include "worker/api/app.hpp"
#include "worker/async/driver.hpp"
#include "worker/auth/authenticate.hpp"
#include "worker/crypto/random.hpp"
#include "worker/store/ids.hpp"

namespace ve::test {

namespace {
void exec(host::HostRunner& host, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(host.db(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "vault fixture: %s\n", err ? err : "?");
    std::abort();
  }
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}
}  // namespace

std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : std::string("<not a string>");
}

VaultUser add_user(host::HostRunner& host, const std::string& email) {
  VaultUser u;
  u.user_id = store::new_id("usr_");
  u.device_id = store::new_id("dev_");
  u.token = crypto::random_token("vk_master_");
  exec(host, "INSERT INTO users (id, email, created_at) VALUES (" + quoted(u.user_id) + ", " +
                 quoted(email) + ", 1700000000000)");
  exec(host, "INSERT INTO devices (id, user_id, name, created_at) VALUES (" + quoted(u.device_id) +
                 ", " + quoted(u.user_id) + ", 'test laptop', 1700000000000)");
  exec(host, "INSERT INTO master_tokens (token_hash, device_id, user_id, created_at) VALUES (" +
                 quoted(auth::credential_hash(u.token)) + ", " + quoted(u.device_id) + ", " +
                 quoted(u.user_id) + ", 1700000000000)");
  return u;
}

http::Response call(host::HostRunner& host, const VaultUser& user, const std::string& method,
                    const std::string& path, const std::string& body) {
  return host.request(
      method, "http://127.0.0.1:8787" + path, body,
      {{"authorization", "Bearer " + user.token}, {"content-type", "application/json"}});
}

http::Response call(host::HostRunner& host, const VaultUser& user, const std::string& method,
                    const std::string& path, const boost::json::value& body) {
  return call(host, user, method, path, boost::json::serialize(body));
}

std::string store_key(host::HostRunner& host, const VaultUser& user, const std::string& name,
                      const std::string& value, const std::string& provider) {
  auto r = call(
      host, user, "POST", "/v1/keys",
      boost::json::value{
          {"name", name}, {"provider", provider}, {"credential_type", "api_key"}, {"key", value}});
  if (r.status != 201) return "";
  return std::string(body_json(r).at("id").as_string());
}

std::optional<std::string> scalar(host::HostRunner& host, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(host.db(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK) std::abort();
  std::optional<std::string> out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    out = std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                      static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
  }
  sqlite3_finalize(st);
  return out;
}

std::int64_t scalar_int(host::HostRunner& host, const std::string& sql) {
  auto s = scalar(host, sql);
  return s ? std::strtoll(s->c_str(), nullptr, 10) : 0;
}

Footprint footprint(host::HostRunner& host) {
  Footprint f;
  f.keys = scalar_int(host, "SELECT count(*) FROM keys");
  f.versions = scalar_int(host, "SELECT count(*) FROM key_versions");
  f.aliases = scalar_int(host, "SELECT count(*) FROM key_aliases");
  f.audit = scalar_int(host, "SELECT count(*) FROM audit_log");
  f.kv = host.kv().size();
  return f;
}

std::vector<http::Response> run_interleaved(host::HostRunner& host,
                                            const std::vector<Call>& calls) {
  std::vector<http::Request> requests;
  requests.reserve(calls.size());
  for (const auto& c : calls) {
    http::Request req;
    req.method = c.method;
    req.url = "http://127.0.0.1:8787" + c.path;
    req.headers = {{"authorization", "Bearer " + c.user->token},
                   {"content-type", "application/json"}};
    req.body = c.body;
    req.client_ip = "127.0.0.1";
    if (!http::parse_url(req.url, req)) std::abort();
    requests.push_back(std::move(req));
  }
  return run_requests_interleaved(host, std::move(requests));
}

std::vector<http::Response> run_requests_interleaved(host::HostRunner& host,
                                                     std::vector<http::Request> requests) {
  async::Driver driver(api::make_handler(host.config()));
  std::vector<async::Driver::Step> steps;
  steps.reserve(requests.size());
  for (auto& req : requests) steps.push_back(driver.begin(std::move(req)));
  bool busy = true;
  while (busy) {
    busy = false;
    for (auto& step : steps) {
      if (step.done) continue;
      std::vector<std::pair<std::uint32_t, async::EffectResult>> results;
      for (const auto& [id, e] : step.effects) results.emplace_back(id, host.perform(e));
      step = driver.resume(step.task_id, std::move(results));
      busy = busy || !step.done;
    }
  }
  std::vector<http::Response> out;
  out.reserve(steps.size());
  for (auto& s : steps) out.push_back(std::move(s.reply.response));
  return out;
}

std::string database_image(host::HostRunner& host) {
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(host.db(), "main", &size, 0);
  if (bytes == nullptr) std::abort();
  std::string image(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  return image;
}

bool stored_anywhere(host::HostRunner& host, std::string_view needle) {
  if (database_image(host).find(needle) != std::string::npos) return true;
  for (const auto& [k, v] : host.kv()) {
    if (k.find(needle) != std::string::npos || v.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ve::test
