#include "worker/json/json.hpp"

#include "worker/crypto/wipe.hpp"
#include "worker/util/time.hpp"

namespace ve::json {

Result<bj::object> parse_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return bj::object{};
  boost::system::error_code ec;
  bj::value v = bj::parse(body, ec);
  if (ec) return bad_request("request body is not valid JSON", "invalid_json");
  if (!v.is_object()) return bad_request("request body must be a JSON object", "invalid_json");
  return std::move(v.as_object());
}

Result<std::optional<std::string>> optional_string(const bj::object& o, std::string_view field,
                                                   std::size_t max_len) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>{};
  if (!it->value().is_string()) {
    return bad_request("field '" + std::string(field) + "' must be a string");
  }
  const auto& s = it->value().as_string();
  if (s.size() > max_len) {
    return bad_request("field '" + std::string(field) + "' is longer than " +
                       std::to_string(max_len) + " bytes");
  }
  return std::optional<std::string>(std::string(s));
}

Result<std::string> required_string(const bj::object& o, std::string_view field,
                                    std::size_t max_len) {
  auto r = optional_string(o, field, max_len);
  if (!r.ok()) return r.error();
  if (!r.value() || r.value()->empty()) {
    return bad_request("field '" + std::string(field) + "' is required");
  }
  return std::move(*r.value());
}

Result<std::optional<std::vector<std::string>>> optional_string_array(const bj::object& o,
                                                                      std::string_view field,
                                                                      std::size_t max_items,
                                                                      std::size_t max_len) {
  using Out = std::optional<std::vector<std::string>>;
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return Out{};
  const std::string name(field);
  if (!it->value().is_array())
    return bad_request("field '" + name + "' must be an array of strings");
  const auto& a = it->value().as_array();
  if (a.size() > max_items) {
    return bad_request("field '" + name + "' has more than " + std::to_string(max_items) +
                       " items");
  }
  std::vector<std::string> out;
  for (const auto& v : a) {
    if (!v.is_string() || v.as_string().size() > max_len) {
      return bad_request("field '" + name + "' must contain strings of at most " +
                         std::to_string(max_len) + " bytes");
    }
    out.emplace_back(v.as_string());
  }
  return Out(std::move(out));
}

std::string dump(const bj::value& v) {
  return bj::serialize(v);
}

void wipe(bj::value& v) {
  if (v.is_string()) {
    crypto::secure_wipe(v.as_string().data(), v.as_string().size());
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) wipe(kv.value());
  } else if (v.is_array()) {
    for (auto& e : v.as_array()) wipe(e);
  }
}

bj::value iso_or_null(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return bj::string(util::iso8601(*ms));
}

bj::value text_or_null(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return bj::string(*s);
}

bj::value int_or_null(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

}  // namespace ve::json
