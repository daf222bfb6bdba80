// Small typed accessors over Boost.JSON for request validation. Each returns an
// Error naming the field and what is expected, so a 400 tells the caller what to fix.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/result.hpp"

namespace ve::json {

namespace bj = boost::json;

/// Parses a request body as a JSON object. An empty body is `{}` (the apilocker
/// CLI sends Content-Type: application/json with no body on POST pause/resume).
Result<bj::object> parse_object(std::string_view body);

/// Required string field, non-empty, at most `max_len` bytes.
Result<std::string> required_string(const bj::object& o, std::string_view field,
                                    std::size_t max_len = 4096);
/// Optional string field: nullopt when absent or null; error when another type.
Result<std::optional<std::string>> optional_string(const bj::object& o, std::string_view field,
                                                   std::size_t max_len = 4096);
/// Optional array of strings (each at most `max_len`); nullopt when absent or null.
Result<std::optional<std::vector<std::string>>> optional_string_array(const bj::object& o,
                                                                      std::string_view field,
                                                                      std::size_t max_items = 100,
                                                                      std::size_t max_len = 256);

/// ISO 8601 UTC (`…Z`, util::iso8601) of a time in ms since the epoch, or null.
bj::value iso_or_null(const std::optional<std::int64_t>& ms);
/// The string, or null when absent (a nullable TEXT column in a response).
bj::value text_or_null(const std::optional<std::string>& s);
/// The integer, or null when absent (a nullable INTEGER column in a response).
bj::value int_or_null(const std::optional<std::int64_t>& v);

/// Serialises a value (compact).
std::string dump(const bj::value& v);

/// Overwrites every string in the tree with zeros (crypto::secure_wipe), for
/// documents that held a secret (a reveal answer, a store request).
void wipe(bj::value& v);

}  // namespace ve::json
