#include "wasm/codec.hpp"

#include <cstring>
#include <type_traits>

namespace ve::wasm {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool ok() const { return ok_; }
  bool at_end() const { return ok_ && pos_ == b_.size(); }

  template <class T>
  T fixed() {
    T v{};
    if (!need(sizeof(T))) return v;
    std::memcpy(&v, b_.data() + pos_, sizeof(T));  // wasm32 and x86-64 are little-endian
    pos_ += sizeof(T);
    return v;
  }
  std::string str() {
    auto n = fixed<std::uint32_t>();
    if (!need(n)) return {};
    std::string s(b_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  async::Headers headers() {
    async::Headers h;
    auto n = fixed<std::uint32_t>();
    for (std::uint32_t i = 0; ok_ && i < n; ++i) {
      auto k = str();
      auto v = str();
      h.emplace_back(std::move(k), std::move(v));
    }
    return h;
  }
  async::SqlValue value() {
    switch (fixed<std::uint8_t>()) {
      case 0:
        return std::monostate{};
      case 1:
        return fixed<std::int64_t>();
      case 2:
        return fixed<double>();
      case 3:
        return str();
      case 4:
        return async::Blob{str()};
      default:
        ok_ = false;
        return std::monostate{};
    }
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || b_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view b_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

class Writer {
 public:
  template <class T>
  void fixed(T v) {
    static_assert(std::is_arithmetic_v<T>);
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out_.append(buf, sizeof(T));
  }
  void str(std::string_view s) {
    fixed<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void headers(const async::Headers& h) {
    fixed<std::uint32_t>(static_cast<std::uint32_t>(h.size()));
    for (const auto& [k, v] : h) {
      str(k);
      str(v);
    }
  }
  void value(const async::SqlValue& v) {
    std::visit(
        [this](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            fixed<std::uint8_t>(0);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            fixed<std::uint8_t>(1), fixed<std::int64_t>(x);
          } else if constexpr (std::is_same_v<T, double>) {
            fixed<std::uint8_t>(2), fixed<double>(x);
          } else if constexpr (std::is_same_v<T, std::string>) {
            fixed<std::uint8_t>(3), str(x);
          } else {
            fixed<std::uint8_t>(4), str(x.bytes);
          }
        },
        v);
  }
  void effect(const async::Effect& e) {
    std::visit(
        [this](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, async::KvGet>) {
            fixed<std::uint8_t>(1), str(x.key);
          } else if constexpr (std::is_same_v<T, async::KvPut>) {
            fixed<std::uint8_t>(2), str(x.key), str(x.value);
          } else if constexpr (std::is_same_v<T, async::KvDelete>) {
            fixed<std::uint8_t>(3), str(x.key);
          } else if constexpr (std::is_same_v<T, async::D1Batch>) {
            fixed<std::uint8_t>(4);
            fixed<std::uint32_t>(static_cast<std::uint32_t>(x.statements.size()));
            for (const auto& s : x.statements) {
              str(s.sql);
              fixed<std::uint32_t>(static_cast<std::uint32_t>(s.params.size()));
              for (const auto& p : s.params) value(p);
            }
          } else {
            fixed<std::uint8_t>(5), str(x.method), str(x.url), headers(x.headers), str(x.body);
            fixed<std::uint32_t>(x.timeout_ms), fixed<std::uint32_t>(x.max_response_bytes);
          }
        },
        e);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

bool decode_rows(Reader& r, std::vector<async::Rows>& out) {
  auto n = r.fixed<std::uint32_t>();
  for (std::uint32_t i = 0; r.ok() && i < n; ++i) {
    async::Rows rows;
    auto ncols = r.fixed<std::uint32_t>();
    for (std::uint32_t c = 0; r.ok() && c < ncols; ++c) rows.columns.push_back(r.str());
    auto nrows = r.fixed<std::uint32_t>();
    for (std::uint32_t k = 0; r.ok() && k < nrows; ++k) {
      std::vector<async::SqlValue> row;
      for (std::uint32_t c = 0; r.ok() && c < ncols; ++c) row.push_back(r.value());
      rows.rows.push_back(std::move(row));
    }
    rows.changes = r.fixed<std::int64_t>();
    rows.last_row_id = r.fixed<std::int64_t>();
    out.push_back(std::move(rows));
  }
  return r.ok();
}

}  // namespace

bool decode_request(std::string_view bytes, http::Request& out) {
  Reader r(bytes);
  out.method = r.str();
  out.url = r.str();
  out.headers = r.headers();
  out.body = r.str();
  out.client_ip = r.str();
  out.country = r.str();
  return r.at_end() && http::parse_url(out.url, out);
}

bool decode_scheduled(std::string_view bytes, http::Request& out) {
  Reader r(bytes);
  out.method = "SCHEDULED";
  out.cron = r.str();
  return r.at_end() && !out.cron.empty();
}

bool decode_config(std::string_view bytes, std::map<std::string, std::string>& out) {
  Reader r(bytes);
  for (auto& [k, v] : r.headers()) out[k] = std::move(v);
  return r.at_end();
}

bool decode_results(std::string_view bytes, std::uint32_t& task_id,
                    std::vector<std::pair<std::uint32_t, async::EffectResult>>& out) {
  Reader r(bytes);
  task_id = r.fixed<std::uint32_t>();
  auto n = r.fixed<std::uint32_t>();
  for (std::uint32_t i = 0; r.ok() && i < n; ++i) {
    auto eid = r.fixed<std::uint32_t>();
    async::EffectResult res;
    res.ok = r.fixed<std::uint8_t>() == 1;
    // The payload's shape depends on the effect's type, which the result does
    // not repeat; a leading tag byte tells the shapes apart (see ABI.md).
    if (!res.ok) {
      res.error = r.str();
    } else {
      switch (r.fixed<std::uint8_t>()) {
        case 1: {
          async::KvValue v;
          v.found = r.fixed<std::uint8_t>() == 1;
          v.value = r.str();
          res.value = std::move(v);
          break;
        }
        case 2:
        case 3:
          break;
        case 4: {
          std::vector<async::Rows> rows;
          decode_rows(r, rows);
          res.value = std::move(rows);
          break;
        }
        case 5: {
          async::FetchResponse f;
          f.status = r.fixed<std::uint16_t>();
          f.headers = r.headers();
          f.body = r.str();
          res.value = std::move(f);
          break;
        }
        default:
          return false;
      }
    }
    out.emplace_back(eid, std::move(res));
  }
  return r.at_end();
}

std::string encode_step(const async::Driver::Step& step) {
  Writer w;
  w.fixed<std::uint32_t>(step.task_id);
  if (step.done) {
    w.fixed<std::uint8_t>(0);
    const auto& resp = step.reply.response;
    w.fixed<std::uint16_t>(static_cast<std::uint16_t>(resp.status));
    w.headers(resp.headers);
    w.str(resp.body);
    w.str(step.reply.log_line);
  } else {
    w.fixed<std::uint8_t>(1);
    w.fixed<std::uint32_t>(static_cast<std::uint32_t>(step.effects.size()));
    for (const auto& [id, e] : step.effects) {
      w.fixed<std::uint32_t>(id);
      w.effect(e);
    }
  }
  return w.take();
}

std::string encode_config_reply(bool ok, std::string_view message) {
  Writer w;
  w.fixed<std::uint32_t>(0);
  w.fixed<std::uint8_t>(2);
  w.fixed<std::uint8_t>(ok ? 1 : 0);
  w.str(message);
  return w.take();
}

}  // namespace ve::wasm
