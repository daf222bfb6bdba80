// The effects a request may ask its host to perform, and their results.
// Byte encoding: wasm/ABI.md. Semantics: docs/architecture.md "Storage and consistency".
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ve::async {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// A blob parameter or column (distinct from text so SQLite/D1 store BLOB).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};
/// One SQL value: NULL, INTEGER, REAL, TEXT or BLOB.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

struct KvGet {
  std::string key;
};
struct KvPut {
  std::string key;
  std::string value;  ///< raw bytes (ciphertext only, never plaintext)
};
struct KvDelete {
  std::string key;
};
/// One statement with positional `?` parameters.
struct Statement {
  std::string sql;
  std::vector<SqlValue> params;
};
/// Statements run as one transaction (D1 `batch()`): all commit or none do.
struct D1Batch {
  std::vector<Statement> statements;
};
/// Outbound HTTP request; redirects are not followed.
struct FetchRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::uint32_t timeout_ms = 10000;  ///< 0: the shim's default (30 s)
  /// Largest response body accepted, in bytes; a longer one fails the effect
  /// ("response body larger than N bytes") without being read to the end.
  /// 0: the shim's default (8 MiB).
  std::uint32_t max_response_bytes = 0;
};
using Effect = std::variant<KvGet, KvPut, KvDelete, D1Batch, FetchRequest>;

/// Result of kv.get.
struct KvValue {
  bool found = false;
  std::string value;
};
/// Result of one statement of a batch.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
  std::int64_t changes = 0;
  std::int64_t last_row_id = 0;
};
struct FetchResponse {
  int status = 0;
  Headers headers;
  std::string body;
};
/// What an effect produced: nothing (kv.put/delete), a KV value, one Rows per
/// statement, or an HTTP response. `ok == false` carries a message instead.
struct EffectResult {
  bool ok = false;
  std::string error;
  std::variant<std::monostate, KvValue, std::vector<Rows>, FetchResponse> value;
};

}  // namespace ve::async
