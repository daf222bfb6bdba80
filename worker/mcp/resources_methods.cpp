// resources/list, resources/templates/list and resources/read (server/resources).
// Only the linked extension serves resources (none in production).
#include "worker/mcp/catalog.hpp"
#include "worker/mcp/methods.hpp"
#include "worker/mcp/pagination.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {

void describe(bj::object& o, std::string_view name, std::string_view title,
              std::string_view description, std::string_view mime_type) {
  o["name"] = name;
  if (!title.empty()) o["title"] = title;
  if (!description.empty()) o["description"] = description;
  if (!mime_type.empty()) o["mimeType"] = mime_type;
}

/// RFC 6570 level-1 match: literal text must be equal; each `{var}` matches one
/// or more characters other than '/'.
bool template_matches(std::string_view tmpl, std::string_view uri) {
  while (!tmpl.empty()) {
    if (tmpl.front() == '{') {
      auto close = tmpl.find('}');
      if (close == std::string_view::npos) return false;
      tmpl.remove_prefix(close + 1);
      // The variable runs up to the next literal character of the template.
      std::size_t n = 0;
      while (n < uri.size() && uri[n] != '/' && (tmpl.empty() || uri[n] != tmpl.front())) ++n;
      if (n == 0) return false;
      uri.remove_prefix(n);
    } else {
      if (uri.empty() || uri.front() != tmpl.front()) return false;
      tmpl.remove_prefix(1);
      uri.remove_prefix(1);
    }
  }
  return uri.empty();
}

rpc::RpcError not_found(Revision r, std::string_view uri) {
  // 2025 revisions: -32002 "Resource not found"; 2026-07-28 answers a miss with
  // -32602 (as the reference SDK does on that revision), data {uri} on both.
  return {is_stateless(r) ? rpc::kInvalidParams : rpc::kResourceNotFound,
          "Resource not found: " + std::string(uri.substr(0, 256)),
          bj::object{{"uri", uri.substr(0, 256)}}, 200};
}

}  // namespace

async::Task<MethodResult> resources_list(Exchange& ex) {
  const auto& resources = catalog().resources;
  auto page = page_for(ex.msg.params, "resources", resources.size());
  if (!page.ok()) co_return page.error();
  bj::array list;
  for (std::size_t i = page.value().begin; i < page.value().end; ++i) {
    const auto& r = *resources[i];
    bj::object o{{"uri", r.uri}};
    describe(o, r.name, r.title, r.description, r.mime_type);
    list.push_back(std::move(o));
  }
  bj::object result{{"resources", std::move(list)}};
  add_next_cursor(result, page.value());
  co_return result;
}

async::Task<MethodResult> resource_templates_list(Exchange& ex) {
  const auto& templates = catalog().templates;
  auto page = page_for(ex.msg.params, "templates", templates.size());
  if (!page.ok()) co_return page.error();
  bj::array list;
  for (std::size_t i = page.value().begin; i < page.value().end; ++i) {
    const auto& t = *templates[i];
    bj::object o{{"uriTemplate", t.uri_template}};
    describe(o, t.name, t.title, t.description, t.mime_type);
    list.push_back(std::move(o));
  }
  bj::object result{{"resourceTemplates", std::move(list)}};
  add_next_cursor(result, page.value());
  co_return result;
}

async::Task<MethodResult> resources_read(Exchange& ex) {
  const auto* uri = ex.msg.params.if_contains("uri");
  if (!uri || !uri->is_string()) {
    co_return rpc::invalid_params("Invalid params: resources/read needs \"uri\" (a string)");
  }
  const std::string_view u = uri->as_string();
  ReadFn read = nullptr;
  for (const auto* r : catalog().resources) {
    if (r->uri == u) read = r->read;
  }
  if (!read) {
    for (const auto* t : catalog().templates) {
      if (template_matches(t->uri_template, u)) {
        read = t->read;
        break;
      }
    }
  }
  if (!read) co_return not_found(ex.revision, u);
  ex.api.principal.client = ex.client;
  CallCtx cc{ex.api, ex.revision, ex.client, ex.notify};
  auto contents = co_await read(cc, u);
  if (!contents.ok()) {
    if (contents.error().status == 404) co_return not_found(ex.revision, u);
    co_return rpc::RpcError{rpc::kInternalError, contents.error().message, std::nullopt, 200};
  }
  co_return bj::object{{"contents", std::move(contents.value())}};
}

}  // namespace ve::mcp
