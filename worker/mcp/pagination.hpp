// Cursor pagination for the list methods (basic/utilities/pagination). A cursor
// is opaque to the client: base64url of "<list>:<offset>", so one list's cursor
// is refused by another. An invalid cursor is -32602 (spec: "Invalid cursors
// SHOULD result in an error with code -32602").
#pragma once
#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "worker/mcp/jsonrpc.hpp"

namespace ve::mcp {

/// Items per page of tools/list, prompts/list, resources/list, templates/list.
inline constexpr std::size_t kPageSize = 50;

struct Page {
  std::size_t begin = 0;                   ///< first item (index)
  std::size_t end = 0;                     ///< one past the last item
  std::optional<std::string> next_cursor;  ///< set when items remain after `end`
};

/// The page of a list of `total` items that `params.cursor` asks for (absent or
/// null → the first page). -32602 when the cursor is not a string, not one we
/// issued for `list`, or points past the end.
rpc::Rpc<Page> page_for(const boost::json::object& params, std::string_view list, std::size_t total,
                        std::size_t page_size = kPageSize);

/// Adds `nextCursor` to a list result when there is one.
void add_next_cursor(boost::json::object& result, const Page& page);

}  // namespace ve::mcp
