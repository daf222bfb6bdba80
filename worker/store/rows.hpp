// Typed reads from D1/SQLite result rows, by column name, and statement helpers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "worker/async/effect.hpp"

namespace ve::store {

using async::Rows;
using async::SqlValue;
using async::Statement;

/// Index of `column` in `rows.columns`, or -1.
int column_index(const Rows& rows, std::string_view column);
/// TEXT value at (row, column); nullopt when NULL, absent or another type.
std::optional<std::string> text(const Rows& rows, std::size_t row, std::string_view column);
/// TEXT value or "" (for NOT NULL columns).
std::string text_or_empty(const Rows& rows, std::size_t row, std::string_view column);
/// INTEGER value at (row, column) (REALs with an integral value are accepted,
/// since D1 returns all numbers as JS numbers); nullopt when NULL or absent.
std::optional<std::int64_t> integer(const Rows& rows, std::size_t row, std::string_view column);

/// NULL when `v` is empty, TEXT otherwise.
SqlValue nullable(const std::optional<std::string>& v);
/// NULL when `v` is empty, INTEGER otherwise.
SqlValue nullable(const std::optional<std::int64_t>& v);

}  // namespace ve::store
