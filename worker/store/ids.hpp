// Identifiers for rows: a kind prefix and 128 random bits (not secrets; never
// used as credentials).
#pragma once
#include <string>
#include <string_view>

namespace ve::store {

/// e.g. new_id("key_") → "key_3f9a…" (prefix + 32 hex chars).
std::string new_id(std::string_view prefix);

/// A random (version 4) UUID in its 36-character text form (RFC 9562 §5.4),
/// for ids that clients expect as UUIDs (OAuth grant ids: `apilocker oauth`
/// shows their first 8 characters).
std::string new_uuid();

}  // namespace ve::store
