#include "tests/unit/host/auth_support.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>

#include "worker/crypto/encoding.hpp"
#include "worker/crypto/random.hpp"
#include "worker/http/message.hpp"

namespace ve::test {

namespace bj = boost::json;

std::string header(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

std::vector<std::string> set_cookies(const http::Response& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (k == "set-cookie") out.push_back(v);
  }
  return out;
}

std::string set_cookie_for(const http::Response& r, std::string_view name) {
  for (const auto& c : set_cookies(r)) {
    if (c.rfind(std::string(name) + "=", 0) == 0) return c;
  }
  return {};
}

namespace {
std::string decode_entities(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
      s.replace(at, std::string_view(from).size(), to);
    }
  }
  return s;
}
}  // namespace

std::optional<std::string> hidden_value(const std::string& html, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  auto at = html.find(marker);
  if (at == std::string::npos) return std::nullopt;
  at += marker.size();
  auto end = html.find('"', at);
  return decode_entities(html.substr(at, end - at));
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += http::url_encode(k) + "=" + http::url_encode(v);
  }
  return out;
}

std::string query_param(const std::string& url, const std::string& name) {
  http::Request r;
  std::string absolute = url.rfind("http", 0) == 0 ? url : "http://x" + url;
  if (!http::parse_url(absolute, r)) return {};
  auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

http::Response Browser::send(std::string method, const std::string& path, std::string body,
                             async::Headers headers) {
  std::string cookie;
  for (const auto& [k, v] : jar_) {
    if (!cookie.empty()) cookie += "; ";
    cookie.append(k).append("=").append(v);
  }
  if (!cookie.empty()) headers.emplace_back("cookie", cookie);
  auto r = host_.request(std::move(method), origin_ + path, std::move(body), std::move(headers));
  for (const auto& c : set_cookies(r)) {
    auto eq = c.find('=');
    auto semi = c.find(';');
    std::string name = c.substr(0, eq);
    std::string value = c.substr(eq + 1, semi - eq - 1);
    if (c.find("Max-Age=0") != std::string::npos) {
      jar_.erase(name);
    } else {
      jar_[name] = value;
    }
  }
  return r;
}

http::Response Browser::get(const std::string& path) {
  return send("GET", path, "", {});
}

http::Response Browser::get(const std::string& path, async::Headers headers) {
  return send("GET", path, "", std::move(headers));
}

http::Response Browser::post_form(const std::string& path, const std::string& body) {
  return send("POST", path, body, {{"content-type", "application/x-www-form-urlencoded"}});
}

http::Response Browser::post(const std::string& path, const std::string& body,
                             async::Headers headers) {
  return send("POST", path, body, std::move(headers));
}

std::string Browser::csrf_token() {
  auto r = get("/v1/auth/me");
  if (r.status != 200) return "";
  const boost::json::value me = boost::json::parse(r.body);
  const auto* t = me.as_object().if_contains("csrf_token");
  return t && t->is_string() ? std::string(t->as_string()) : std::string();
}

http::Response Browser::fetch(const std::string& method, const std::string& path,
                              const std::string& body) {
  async::Headers headers{{"origin", origin_}, {"content-type", "application/json"}};
  if (method != "GET" && method != "HEAD") headers.emplace_back("x-csrf-token", csrf_token());
  return send(method, path, body, std::move(headers));
}

void Browser::dev_sign_in(const std::string& email) {
  auto page = get("/auth/dev");
  auto csrf = hidden_value(page.body, "csrf");
  if (!csrf) std::abort();
  auto r = post_form("/auth/dev", form({{"email", email}, {"return_to", "/"}, {"csrf", *csrf}}));
  if (r.status != 303) {
    std::fprintf(stderr, "dev sign-in failed: %d %s\n", r.status, r.body.c_str());
    std::abort();
  }
}

host::HostRunner make_runner_with(std::map<std::string, std::string> vars) {
  vars["VAULT_KEYS"] = "t1:" + crypto::base64_encode(crypto::random_string(32));
  if (vars.count("ENVIRONMENT") == 0) vars["ENVIRONMENT"] = "development";
  return host::HostRunner(std::move(vars));
}

void exec_sql(host::HostRunner& host, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(host.db(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "exec_sql: %s\n", err ? err : "?");
    std::abort();
  }
}

namespace {
template <class F>
void first_cell(host::HostRunner& host, const std::string& sql, F&& f) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(host.db(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "sql: %s\n", sqlite3_errmsg(host.db()));
    std::abort();
  }
  if (sqlite3_step(st) == SQLITE_ROW) f(st);
  sqlite3_finalize(st);
}
}  // namespace

long long sql_int(host::HostRunner& host, const std::string& sql) {
  long long v = -1;
  first_cell(host, sql, [&](sqlite3_stmt* st) { v = sqlite3_column_int64(st, 0); });
  return v;
}

std::string sql_text(host::HostRunner& host, const std::string& sql) {
  std::string v;
  first_cell(host, sql, [&](sqlite3_stmt* st) {
    if (const auto* t = sqlite3_column_text(st, 0)) v = reinterpret_cast<const char*>(t);
  });
  return v;
}

bool db_contains(host::HostRunner& host, const std::string& needle) {
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(host.db(), "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
                     nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  for (const auto& t : tables) {
    sqlite3_prepare_v2(host.db(), ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
        std::string cell(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
        if (cell.find(needle) != std::string::npos) {
          sqlite3_finalize(st);
          return true;
        }
      }
    }
    sqlite3_finalize(st);
  }
  return false;
}

http::Response post_json(host::HostRunner& host, const std::string& path, const std::string& body,
                         const std::string& bearer) {
  async::Headers h{{"content-type", "application/json"}};
  if (!bearer.empty()) h.emplace_back("authorization", "Bearer " + bearer);
  return host.request("POST", "http://127.0.0.1" + path, body, std::move(h));
}

http::Response get_bearer(host::HostRunner& host, const std::string& path,
                          const std::string& bearer) {
  return host.request("GET", "http://127.0.0.1" + path, "",
                      {{"authorization", "Bearer " + bearer}});
}

DeviceStart start_device(host::HostRunner& host, const std::string& hostname) {
  bj::object meta{{"hostname", hostname},
                  {"platform", "linux"},
                  {"platform_version", "6.1.0-13-amd64"},
                  {"cli_version", "1.1.0"}};
  auto r =
      post_json(host, "/v1/cli-auth/start", bj::serialize(bj::object{{"client_metadata", meta}}));
  if (r.status != 200) {
    std::fprintf(stderr, "start failed: %d %s\n", r.status, r.body.c_str());
    std::abort();
  }
  auto o = bj::parse(r.body).as_object();
  return {std::string(o.at("device_code").as_string()), std::string(o.at("user_code").as_string()),
          o};
}

http::Response poll(host::HostRunner& host, const std::string& device_code) {
  return post_json(host, "/v1/cli-auth/poll",
                   bj::serialize(bj::object{{"device_code", device_code}}));
}

void age_last_poll(host::HostRunner& host) {
  exec_sql(host, "UPDATE device_codes SET last_poll_at = last_poll_at - 60000");
}

http::Response decide(Browser& browser, const std::string& user_code, const std::string& decision) {
  auto page = browser.get("/device?user_code=" + user_code);
  auto csrf = hidden_value(page.body, "csrf");
  if (!csrf) {
    std::fprintf(stderr, "no approval form: %d %s\n", page.status, page.body.c_str());
    std::abort();
  }
  return browser.post_form(
      "/device", form({{"user_code", user_code}, {"decision", decision}, {"csrf", *csrf}}));
}

Registered register_device(host::HostRunner& host, Browser& browser, const std::string& hostname) {
  auto s = start_device(host, hostname);
  auto d = decide(browser, s.user_code, "approve");
  if (d.status != 200) std::abort();
  auto r = poll(host, s.device_code);
  if (r.status != 200) {
    std::fprintf(stderr, "poll failed: %d %s\n", r.status, r.body.c_str());
    std::abort();
  }
  auto o = bj::parse(r.body).as_object();
  return {std::string(o.at("master_token").as_string()), std::string(o.at("device_id").as_string()),
          std::string(o.at("user_id").as_string()), std::string(o.at("email").as_string())};
}

}  // namespace ve::test
