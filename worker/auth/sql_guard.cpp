#include "worker/auth/sql_guard.hpp"

#include <string>

namespace ve::auth {

std::optional<async::Statement> insert_only_if(async::Statement insert, std::string_view condition,
                                               std::vector<async::SqlValue> params) {
  std::string& sql = insert.sql;
  constexpr std::string_view kValues = " VALUES (";
  const auto at = sql.rfind(kValues);
  if (sql.rfind("INSERT INTO ", 0) != 0 || at == std::string::npos || sql.empty() ||
      sql.back() != ')' || sql.find(')', at + kValues.size()) != sql.size() - 1) {
    return std::nullopt;
  }
  std::string out = sql.substr(0, at);
  out += " SELECT ";
  out += sql.substr(at + kValues.size(), sql.size() - 1 - (at + kValues.size()));
  out += " WHERE ";
  std::size_t next = insert.params.size() + 1;
  for (char c : condition) {
    if (c == '?') {
      out += '?';
      out += std::to_string(next++);
    } else {
      out.push_back(c);
    }
  }
  if (next - 1 - insert.params.size() != params.size()) return std::nullopt;
  for (auto& p : params) insert.params.push_back(std::move(p));
  sql = std::move(out);
  return insert;
}

}  // namespace ve::auth
