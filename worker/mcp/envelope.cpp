#include "worker/mcp/envelope.hpp"

#include <string>

#include "worker/crypto/encoding.hpp"
#include "worker/mcp/logging.hpp"

namespace ve::mcp {

namespace bj = boost::json;

namespace {

constexpr std::string_view kFirstModern = "2026-07-28";

bool is_modern_name(std::string_view v) {
  return v >= kFirstModern;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string_view> header(const http::Request& req, std::string_view name) {
  auto h = req.header(name);
  if (!h) return std::nullopt;
  return trim(*h);
}

rpc::RpcError mismatch(std::string detail, std::string_view header_value) {
  return {rpc::kHeaderMismatch, "Bad Request: the request headers and body disagree: " + detail,
          bj::object{{"mismatch", bj::object{{"header", header_value}, {"body", detail}}}}, 400};
}

rpc::RpcError envelope_error(std::string_view key, std::string_view problem) {
  return {rpc::kInvalidParams,
          "Invalid _meta envelope for protocol revision 2026-07-28: " + std::string(key) + ": " +
              std::string(problem),
          bj::object{{"envelope", bj::object{{"key", key}, {"problem", problem}}}}, 400};
}

bj::array supported_names(bool modern_only) {
  bj::array a;
  for (auto r : {Revision::r2026_07_28, Revision::r2025_11_25, Revision::r2025_06_18}) {
    if (modern_only && !is_stateless(r)) continue;
    a.emplace_back(revision_name(r));
  }
  return a;
}

/// First problem with a 2026-07-28 envelope, as (key, problem); empty key when valid.
std::pair<std::string_view, std::string_view> envelope_problem(const bj::object& meta) {
  const auto* version = meta.if_contains(kProtocolVersionKey);
  if (!version) return {kProtocolVersionKey, "missing"};
  const auto* caps = meta.if_contains(kClientCapabilitiesKey);
  if (!caps) return {kClientCapabilitiesKey, "missing"};
  if (!version->is_string()) return {kProtocolVersionKey, "expected a protocol version string"};
  if (!caps->is_object()) return {kClientCapabilitiesKey, "expected an object"};
  if (const auto* info = meta.if_contains(kClientInfoKey)) {
    if (!info->is_object()) return {kClientInfoKey, "expected an object {name, version}"};
    const auto* name = info->as_object().if_contains("name");
    const auto* ver = info->as_object().if_contains("version");
    if (!name || !name->is_string() || !ver || !ver->is_string()) {
      return {kClientInfoKey, "expected string \"name\" and \"version\""};
    }
  }
  if (const auto* level = meta.if_contains(kLogLevelKey)) {
    if (!level->is_string() || log_severity(level->as_string()) < 0) {
      return {kLogLevelKey, "expected an RFC 5424 level (debug … emergency)"};
    }
  }
  return {};
}

/// The value an `Mcp-Name` header carries: plain, or `=?base64?…?=` (SEP-2243).
std::optional<std::string> decode_name_header(std::string_view v) {
  constexpr std::string_view kPrefix = "=?base64?";
  constexpr std::string_view kSuffix = "?=";
  if (v.size() >= kPrefix.size() + kSuffix.size() && v.substr(0, kPrefix.size()) == kPrefix &&
      v.substr(v.size() - kSuffix.size()) == kSuffix) {
    return crypto::base64_decode(
        v.substr(kPrefix.size(), v.size() - kPrefix.size() - kSuffix.size()));
  }
  return std::string(v);
}

/// The body field `Mcp-Name` mirrors for `method`, or "" when none.
std::string_view name_field(std::string_view method) {
  if (method == "tools/call" || method == "prompts/get") return "name";
  if (method == "resources/read") return "uri";
  return "";
}

rpc::Rpc<Revision> legacy(const http::Request& req) {
  auto h = header(req, "mcp-protocol-version");
  if (!h) return Revision::r2025_06_18;
  if (auto r = parse_revision(*h); r && !is_stateless(*r)) return *r;
  return rpc::RpcError{rpc::kServerError,
                       "Bad Request: Unsupported protocol version: " + std::string(*h) +
                           " (supported versions: 2025-06-18, 2025-11-25, 2026-07-28)",
                       bj::object{{"supported", supported_names(false)}, {"requested", *h}}, 400};
}

rpc::Rpc<Revision> modern(const http::Request& req, const rpc::Message& msg,
                          std::string_view claimed) {
  auto version_header = header(req, "mcp-protocol-version");
  auto method_header = header(req, "mcp-method");
  if (version_header && *version_header != claimed) {
    return mismatch("the body envelope names protocol version " + std::string(claimed) +
                        " but the MCP-Protocol-Version header names " +
                        std::string(*version_header),
                    *version_header);
  }
  if (method_header && *method_header != msg.method) {
    return mismatch("the body names method " + msg.method + " but the Mcp-Method header names " +
                        std::string(*method_header),
                    *method_header);
  }
  if (msg.kind == rpc::Kind::request) {
    if (!version_header) {
      return mismatch("the body envelope names protocol version " + std::string(claimed) +
                          " but the required MCP-Protocol-Version header is absent",
                      "(missing)");
    }
    if (!method_header) {
      return mismatch(
          "the body names method " + msg.method + " but the required Mcp-Method header is absent",
          "(missing)");
    }
    auto field = name_field(msg.method);
    const auto* body_value = field.empty() ? nullptr : msg.params.if_contains(field);
    if (body_value && body_value->is_string()) {
      const std::string body_name(body_value->as_string());
      auto name_header = header(req, "mcp-name");
      if (!name_header) {
        return mismatch("the body carries params." + std::string(field) + "=\"" + body_name +
                            "\" but the required Mcp-Name header is absent",
                        "(missing)");
      }
      auto decoded = decode_name_header(*name_header);
      if (!decoded) {
        return mismatch("the Mcp-Name header carries an invalid Base64 sentinel value",
                        *name_header);
      }
      if (*decoded != body_name) {
        return mismatch("the body carries params." + std::string(field) + "=\"" + body_name +
                            "\" but the Mcp-Name header names \"" + *decoded + "\"",
                        *name_header);
      }
    }
  }
  return Revision::r2026_07_28;
}

}  // namespace

rpc::Rpc<Revision> negotiate(const http::Request& req, const rpc::Message& msg) {
  const auto* meta = msg.meta();
  const bool claim = meta && meta->contains(kProtocolVersionKey);
  auto version_header = header(req, "mcp-protocol-version");

  if (msg.method == "initialize" && msg.kind == rpc::Kind::request) {
    const bool valid_modern_claim = claim && envelope_problem(*meta).first.empty() &&
                                    is_modern_name(meta->at(kProtocolVersionKey).as_string());
    if (!valid_modern_claim) {
      if (version_header && is_modern_name(*version_header)) {
        return mismatch(
            "an initialize request (the legacy handshake) was sent with the modern "
            "MCP-Protocol-Version header " +
                std::string(*version_header),
            *version_header);
      }
      return Revision::r2025_11_25;  // the handler negotiates the real one
    }
  }

  if (claim) {
    auto [key, problem] = envelope_problem(*meta);
    if (!key.empty()) return envelope_error(key, problem);
    std::string_view claimed = meta->at(kProtocolVersionKey).as_string();
    if (is_modern_name(claimed)) {
      if (auto r = parse_revision(claimed); !r || !is_stateless(*r)) {
        return rpc::RpcError{
            rpc::kUnsupportedVersion, "Unsupported protocol version: " + std::string(claimed),
            bj::object{{"supported", supported_names(true)}, {"requested", claimed}}, 400};
      }
      return modern(req, msg, claimed);
    }
    // A 2025 revision named in _meta: the legacy rules apply.
  } else if (version_header && is_modern_name(*version_header)) {
    if (msg.kind == rpc::Kind::notification) return Revision::r2026_07_28;
    std::string missing =
        meta ? std::string(kProtocolVersionKey) + ", " + std::string(kClientCapabilitiesKey)
             : "_meta";
    return rpc::RpcError{
        rpc::kInvalidParams,
        "Invalid params: the MCP-Protocol-Version header names protocol revision " +
            std::string(*version_header) +
            ", but the request is missing the required per-request envelope key(s): " + missing,
        std::nullopt, 400};
  }
  return legacy(req);
}

}  // namespace ve::mcp
