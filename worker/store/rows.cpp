#include "worker/store/rows.hpp"

#include <cmath>

namespace ve::store {

int column_index(const Rows& rows, std::string_view column) {
  for (std::size_t i = 0; i < rows.columns.size(); ++i) {
    if (rows.columns[i] == column) return static_cast<int>(i);
  }
  return -1;
}

namespace {
const SqlValue* cell(const Rows& rows, std::size_t row, std::string_view column) {
  int c = column_index(rows, column);
  if (c < 0 || row >= rows.rows.size()) return nullptr;
  const auto& r = rows.rows[row];
  return static_cast<std::size_t>(c) < r.size() ? &r[static_cast<std::size_t>(c)] : nullptr;
}
}  // namespace

std::optional<std::string> text(const Rows& rows, std::size_t row, std::string_view column) {
  const auto* v = cell(rows, row, column);
  if (v == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  if (const auto* b = std::get_if<async::Blob>(v)) return b->bytes;
  return std::nullopt;
}

std::string text_or_empty(const Rows& rows, std::size_t row, std::string_view column) {
  return text(rows, row, column).value_or("");
}

std::optional<std::int64_t> integer(const Rows& rows, std::size_t row, std::string_view column) {
  const auto* v = cell(rows, row, column);
  if (v == nullptr) return std::nullopt;
  if (const auto* i = std::get_if<std::int64_t>(v)) return *i;
  if (const auto* d = std::get_if<double>(v); d != nullptr && std::trunc(*d) == *d) {
    return static_cast<std::int64_t>(*d);
  }
  return std::nullopt;
}

SqlValue nullable(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  return *v;
}

SqlValue nullable(const std::optional<std::int64_t>& v) {
  if (!v) return std::monostate{};
  return *v;
}

}  // namespace ve::store
