#include "worker/mcp/pagination.hpp"

#include <charconv>

#include "worker/crypto/encoding.hpp"

namespace ve::mcp {

namespace {
std::string cursor_for(std::string_view list, std::size_t offset) {
  return crypto::base64url_encode(std::string(list) + ":" + std::to_string(offset));
}

std::optional<std::size_t> offset_of(std::string_view cursor, std::string_view list) {
  auto raw = crypto::base64url_decode(cursor);
  if (!raw || raw->size() <= list.size() + 1 || raw->compare(0, list.size(), list) != 0 ||
      (*raw)[list.size()] != ':') {
    return std::nullopt;
  }
  const char* first = raw->data() + list.size() + 1;
  const char* last = raw->data() + raw->size();
  std::size_t offset = 0;
  auto [ptr, ec] = std::from_chars(first, last, offset);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return offset;
}
}  // namespace

rpc::Rpc<Page> page_for(const boost::json::object& params, std::string_view list, std::size_t total,
                        std::size_t page_size) {
  std::size_t begin = 0;
  if (const auto* c = params.if_contains("cursor"); c && !c->is_null()) {
    std::optional<std::size_t> offset;
    if (c->is_string()) offset = offset_of(c->as_string(), list);
    if (!offset || *offset == 0 || *offset > total) {
      return rpc::invalid_params(
          "Invalid params: \"cursor\" is not a cursor this server issued for " + std::string(list) +
          "/list (it may be stale); list again without a cursor");
    }
    begin = *offset;
  }
  Page p;
  p.begin = begin;
  p.end = std::min(total, begin + page_size);
  if (p.end < total) p.next_cursor = cursor_for(list, p.end);
  return p;
}

void add_next_cursor(boost::json::object& result, const Page& page) {
  if (page.next_cursor) result["nextCursor"] = *page.next_cursor;
}

}  // namespace ve::mcp
