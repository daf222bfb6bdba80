#include "worker/oauth/json_members.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <vector>

namespace ve::oauth {

namespace {

namespace bj = boost::json;
using ec_t = bj::error_code;
using sv = bj::string_view;

/// A SAX handler that only tracks the member names of each open object.
struct MemberNames {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  std::vector<std::set<std::string>> open;  ///< one set per enclosing object
  std::string key;                          ///< the name being read
  std::optional<std::string> repeated;

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    open.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, ec_t&) {
    open.pop_back();
    return true;
  }
  bool on_string_part(sv, std::size_t, ec_t&) { return true; }
  bool on_string(sv, std::size_t, ec_t&) { return true; }
  bool on_key_part(sv s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv s, std::size_t, ec_t& ec) {
    key.append(s.data(), s.size());
    const bool fresh = open.back().insert(key).second;
    if (!fresh) {
      repeated = key.substr(0, 64);
      ec = bj::error::syntax;  // stops the parser: one repetition is enough
    }
    key.clear();
    return fresh;
  }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t, sv, ec_t&) { return true; }
  bool on_uint64(std::uint64_t, sv, ec_t&) { return true; }
  bool on_double(double, sv, ec_t&) { return true; }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

}  // namespace

std::optional<std::string> repeated_member(std::string_view json) {
  bj::basic_parser<MemberNames> parser{bj::parse_options{}};
  ec_t ec;
  parser.write_some(false, json.data(), json.size(), ec);
  return parser.handler().repeated;
}

}  // namespace ve::oauth
