#include "worker/oauth/params.hpp"

#include "worker/http/message.hpp"

namespace ve::oauth {

Result<Params> parse_params(std::string_view s) {
  Params out;
  for (auto& [name, value] : http::form_pairs(s)) {
    auto [it, inserted] = out.emplace(std::move(name), std::move(value));
    if (!inserted) {
      return bad_request("parameter '" + it->first.substr(0, 64) +
                         "' is included more than once; OAuth request parameters must not be "
                         "repeated (RFC 6749 §3.1)");
    }
  }
  return out;
}

std::string_view query_of(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  auto rest = url.substr(q + 1);
  return rest.substr(0, rest.find('#'));
}

std::string param(const Params& params, std::string_view name) {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string() : it->second;
}

}  // namespace ve::oauth
