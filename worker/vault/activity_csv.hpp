// CSV writing for GET /v1/activity/export (RFC 4180). This is a serializer,
// not a parser: quoting a cell and escaping its quotes is a few lines with no
// state machine, so it is written here instead of pulling a CSV library into
// the wasm core.
#pragma once
#include <string>
#include <string_view>

namespace ve::vault {

/// One CSV cell for a spreadsheet: a cell whose first character is = + - @
/// TAB or CR is prefixed with an apostrophe, so a spreadsheet shows it as text
/// instead of evaluating it (OWASP "CSV Injection"); then, when it contains a
/// comma, a double quote, CR or LF, it is enclosed in double quotes with each
/// double quote doubled (RFC 4180 §2 rules 6 and 7).
std::string csv_cell(std::string_view text);

/// Appends `cells` as one record to `out`, comma-separated and ending in CRLF
/// (RFC 4180 §2 rule 1); each cell goes through csv_cell.
template <typename Range>
void append_csv_record(std::string& out, const Range& cells) {
  bool first = true;
  for (const auto& c : cells) {
    if (!first) out.push_back(',');
    first = false;
    out += csv_cell(c);
  }
  out += "\r\n";
}

}  // namespace ve::vault
