#include "host/host_runner.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "worker/api/app.hpp"

namespace ve::host {

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "host runner: %s\n", why.c_str());
  std::abort();
}

void apply_migrations(sqlite3* db) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(VE_MIGRATIONS_DIR)) {
    if (e.path().extension() == ".sql") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    char* err = nullptr;
    if (sqlite3_exec(db, ss.str().c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      die("migration " + f.filename().string() + " failed: " + (err ? err : "?"));
    }
  }
}

bool bind(sqlite3_stmt* st, int i, const async::SqlValue& v) {
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return sqlite3_bind_null(st, i) == SQLITE_OK;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return sqlite3_bind_int64(st, i, x) == SQLITE_OK;
        } else if constexpr (std::is_same_v<T, double>) {
          return sqlite3_bind_double(st, i, x) == SQLITE_OK;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return sqlite3_bind_text(st, i, x.data(), static_cast<int>(x.size()), SQLITE_TRANSIENT) ==
                 SQLITE_OK;
        } else {
          return sqlite3_bind_blob(st, i, x.bytes.data(), static_cast<int>(x.bytes.size()),
                                   SQLITE_TRANSIENT) == SQLITE_OK;
        }
      },
      v);
}

async::SqlValue column(sqlite3_stmt* st, int c) {
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(st, c));
    case SQLITE_FLOAT:
      return sqlite3_column_double(st, c);
    case SQLITE_TEXT:
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)),
                         static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
    case SQLITE_BLOB:
      return async::Blob{std::string(static_cast<const char*>(sqlite3_column_blob(st, c)),
                                     static_cast<std::size_t>(sqlite3_column_bytes(st, c)))};
    default:
      return std::monostate{};
  }
}

async::EffectResult failure(std::string message) {
  async::EffectResult r;
  r.ok = false;
  r.error = std::move(message);
  return r;
}

}  // namespace

HostRunner::HostRunner(std::map<std::string, std::string> vars) {
  if (sqlite3_open(":memory:", &db_) != SQLITE_OK) die("cannot open SQLite");
  sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);  // as D1
  apply_migrations(db_);
  auto config = config::Config::from_vars(std::move(vars));
  if (!config.ok()) die(config.error().message);
  config_ = std::make_unique<config::Config>(std::move(config).value());
  driver_ = std::make_unique<async::Driver>(api::make_handler(*config_));
}

HostRunner::~HostRunner() {
  sqlite3_close(db_);
}

async::EffectResult HostRunner::run_batch(const async::D1Batch& batch) {
  std::vector<async::Rows> out;
  sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
  for (const auto& s : batch.statements) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, s.sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return failure(msg);
    }
    async::Rows rows;
    const int ncols = sqlite3_column_count(st);
    rows.columns.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) rows.columns.emplace_back(sqlite3_column_name(st, c));
    bool ok = true;
    for (std::size_t i = 0; i < s.params.size() && ok; ++i)
      ok = bind(st, static_cast<int>(i + 1), s.params[i]);
    int rc = SQLITE_ROW;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<async::SqlValue> row;
      row.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) row.push_back(column(st, c));
      rows.rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    if (!ok || rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return failure(msg);
    }
    rows.changes = sqlite3_changes(db_);
    rows.last_row_id = sqlite3_last_insert_rowid(db_);
    out.push_back(std::move(rows));
  }
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  async::EffectResult r;
  r.ok = true;
  r.value = std::move(out);
  return r;
}

async::EffectResult HostRunner::perform(const async::Effect& effect) {
  async::EffectResult ok;
  ok.ok = true;
  if (const auto* g = std::get_if<async::KvGet>(&effect)) {
    auto it = kv_.find(g->key);
    ok.value = async::KvValue{it != kv_.end(), it != kv_.end() ? it->second : std::string()};
  } else if (const auto* p = std::get_if<async::KvPut>(&effect)) {
    kv_[p->key] = p->value;
  } else if (const auto* d = std::get_if<async::KvDelete>(&effect)) {
    if (kv_delete_fails_) return failure("KV unavailable (test fault)");
    kv_.erase(d->key);
  } else if (const auto* b = std::get_if<async::D1Batch>(&effect)) {
    return run_batch(*b);
  } else if (const auto* f = std::get_if<async::FetchRequest>(&effect)) {
    if (!fetch_) return failure("no network in the host runner");
    // The shim's limit (js-shim/effects.js readBounded), so tests see the same failure.
    const std::size_t limit = f->max_response_bytes > 0 ? f->max_response_bytes : 8u << 20u;
    auto result = fetch_(*f);
    if (const auto* r = std::get_if<async::FetchResponse>(&result.value);
        r && r->body.size() > limit) {
      return failure("response body larger than " + std::to_string(limit) + " bytes");
    }
    return result;
  }
  return ok;
}

http::Response HostRunner::request(std::string method, std::string url, std::string body,
                                   async::Headers headers) {
  http::Request req;
  req.method = std::move(method);
  req.url = std::move(url);
  req.headers = std::move(headers);
  req.body = std::move(body);
  // As the shim does (js-shim/worker.js): the edge's CF-Connecting-IP header.
  req.client_ip =
      std::string(http::find_header(req.headers, "cf-connecting-ip").value_or("127.0.0.1"));
  if (!http::parse_url(req.url, req)) die("bad test URL");
  return run(std::move(req));
}

http::Response HostRunner::scheduled(std::string cron) {
  http::Request req;
  req.method = "SCHEDULED";  // as wasm::decode_scheduled makes it
  req.cron = std::move(cron);
  return run(std::move(req));
}

http::Response HostRunner::run(http::Request req) {
  auto step = driver_->begin(std::move(req));
  while (!step.done) {
    std::vector<std::pair<std::uint32_t, async::EffectResult>> results;
    for (const auto& [id, e] : step.effects) results.emplace_back(id, perform(e));
    step = driver_->resume(step.task_id, std::move(results));
  }
  return std::move(step.reply.response);
}

}  // namespace ve::host
