#include "worker/mcp/schema.hpp"

#include <map>
#include <memory>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

namespace ve::mcp {

namespace bj = boost::json;

namespace {

struct Compiled {
  bj::value document;  ///< the schema as JSON (for messages: expected types, enums)
  valijson::Schema schema;
};

/// Parsed schemas by the address of their text (tool schemas are literals).
std::map<const char*, std::unique_ptr<Compiled>>& cache() {
  static std::map<const char*, std::unique_ptr<Compiled>> c;
  return c;
}

const Compiled* compiled(std::string_view text) {
  auto& c = cache();
  if (auto it = c.find(text.data()); it != c.end()) return it->second.get();
  boost::system::error_code ec;
  bj::value doc = bj::parse(text, ec);
  if (ec || !doc.is_object()) return nullptr;
  auto entry = std::make_unique<Compiled>();
  entry->document = std::move(doc);
  valijson::SchemaParser parser;
  valijson::adapters::BoostJsonAdapter adapter(entry->document);
  parser.populateSchema(adapter, entry->schema);
  const auto* raw = entry.get();
  c.emplace(text.data(), std::move(entry));
  return raw;
}

/// valijson context ["<root>", "[tags]", "[0]"] → segments {"tags", "0"}.
std::vector<std::string> segments(const std::vector<std::string>& context) {
  std::vector<std::string> out;
  for (const auto& c : context) {
    if (c.size() >= 2 && c.front() == '[' && c.back() == ']')
      out.push_back(c.substr(1, c.size() - 2));
  }
  return out;
}

bool is_index(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string path_text(const std::vector<std::string>& segs) {
  std::string out;
  for (const auto& s : segs) {
    if (is_index(s)) {
      out += "[" + s + "]";
    } else {
      out += (out.empty() ? "" : ".") + s;
    }
  }
  return out;
}

/// The subschema at `segs` (following properties / items), or nullptr.
const bj::object* subschema(const bj::value& root, const std::vector<std::string>& segs) {
  const bj::object* cur = root.if_object();
  for (const auto& s : segs) {
    if (!cur) return nullptr;
    const bj::value* next = nullptr;
    if (is_index(s)) {
      next = cur->if_contains("items");
    } else if (const auto* props = cur->if_contains("properties"); props && props->is_object()) {
      next = props->as_object().if_contains(s);
    }
    cur = next ? next->if_object() : nullptr;
  }
  return cur;
}

std::string list_of(const bj::array& a) {
  std::string out;
  for (const auto& v : a) {
    if (!out.empty()) out += ", ";
    out += v.is_string() ? std::string(v.as_string()) : bj::serialize(v);
  }
  return out;
}

std::string describe(const Compiled& c, const valijson::ValidationResults::Error& e) {
  auto segs = segments(e.context);
  const std::string where = segs.empty() ? "arguments" : "argument `" + path_text(segs) + "`";
  const auto* schema = subschema(c.document, segs);
  const std::string& d = e.description;
  if (d.find("'type' constraint") != std::string::npos && schema) {
    if (const auto* type = schema->if_contains("type")) {
      return where + " must be of type " +
             (type->is_string() ? std::string(type->as_string()) : list_of(type->as_array()));
    }
  }
  if (d.find("enum values") != std::string::npos && schema) {
    if (const auto* values = schema->if_contains("enum"); values && values->is_array()) {
      return where + " must be one of: " + list_of(values->as_array());
    }
  }
  if (d.rfind("Missing required property '", 0) == 0) {
    auto name = d.substr(27, d.find('\'', 27) - 27);
    std::string field = segs.empty() ? name : path_text(segs) + "." + name;
    return "argument `" + field + "` is required";
  }
  if (d.rfind("Object contains a property", 0) == 0) {
    auto q = d.rfind('\'', d.size() - 3);
    auto name = q == std::string::npos ? std::string() : d.substr(q + 1, d.size() - q - 3);
    return where + " has a property the tool does not take: `" + name + "`";
  }
  return where + ": " + d;
}

}  // namespace

const bj::object& schema_document(std::string_view schema) {
  static std::map<const char*, bj::object> documents;
  if (auto it = documents.find(schema.data()); it != documents.end()) return it->second;
  boost::system::error_code ec;
  bj::value doc = bj::parse(schema, ec);
  bj::object o = !ec && doc.is_object() ? std::move(doc.as_object()) : bj::object{};
  return documents.emplace(schema.data(), std::move(o)).first->second;
}

bool schema_compiles(std::string_view schema) {
  return compiled(schema) != nullptr;
}

std::optional<std::string> check_arguments(std::string_view input_schema, const bj::object& args) {
  const auto* c = compiled(input_schema);
  if (!c) return std::string("the tool's input schema is not a JSON object (a server bug)");
  valijson::Validator validator;
  valijson::ValidationResults results;
  const bj::value target(args);
  valijson::adapters::BoostJsonAdapter adapter(target);
  if (validator.validate(c->schema, adapter, &results)) return std::nullopt;
  valijson::ValidationResults::Error first;
  if (!results.popError(first)) return std::string("arguments do not match the tool's inputSchema");
  return describe(*c, first);
}

}  // namespace ve::mcp
