// Identifiers for rows: a kind prefix and 128 random bits (not secrets; never
// used as credentials).
#pragma once
#include <string>
#include <string_view>

namespace ve::store {

/// e.g. new_id("key_") → "key_3f9a…" (prefix + 32 hex chars).
std::string new_id(std::string_view prefix);

}  // namespace ve::store
