// list_devices and revoke_device: the user's registered CLI devices (GET
// /v1/devices, POST /v1/devices/:id/revoke).
#include "worker/auth/handlers.hpp"
#include "worker/mcp/tools/rest_call.hpp"
#include "worker/mcp/tools/tools.hpp"

namespace ve::mcp::tools {

namespace bj = boost::json;

namespace {

async::Task<ToolResult> list_devices(CallCtx& ctx, const bj::object&) {
  auto r =
      co_await rest_call(ctx, {"GET", "/v1/devices", {}, {}, {}, &auth::handlers::list_devices});
  if (!r.ok()) co_return failed(r.error());
  bj::object out;
  bj::array devices;
  if (auto* d = r.value().if_contains("devices"); d && d->is_array()) {
    devices = std::move(d->as_array());
  }
  out["count"] = devices.size();
  out["devices"] = std::move(devices);
  co_return ToolResult::success(std::move(out));
}

async::Task<ToolResult> revoke_device(CallCtx& ctx, const bj::object& args) {
  auto r = co_await rest_call(ctx, {"POST",
                                    "/v1/devices/:id/revoke",
                                    {arg_string(args, "device_id").value_or("")},
                                    {},
                                    bj::object{},
                                    &auth::handlers::revoke_device});
  if (!r.ok()) co_return failed(r.error());
  co_return ToolResult::success(std::move(r.value()));
}

constexpr const char* kListOutput =
    R"({"type":"object","properties":{"count":{"type":"integer"},"devices":{"type":"array","items":{"type":"object","properties":{)"
    R"("id":{"type":"string"},"name":{"type":"string"},"hostname":{"type":["string","null"]},)"
    R"("platform":{"type":["string","null"]},"platform_version":{"type":["string","null"]},)"
    R"("cli_version":{"type":["string","null"]},"last_used_at":{"type":["string","null"]},)"
    R"("created_at":{"type":["string","null"]},)"
    R"("current":{"type":"boolean","description":"True for the device whose token this connection uses"}},)"
    R"("required":["id","name","platform","last_used_at","created_at","current"]}}},"required":["count","devices"]})";

}  // namespace

Tool list_devices_tool() {
  return {
      "list_devices",
      "List devices",
      "List the devices registered with `apilocker register` that can still use the vault: "
      "id, name, host, platform, CLI version, first and last use, and which one this "
      "connection uses (current). Use it to spot devices the user no longer owns before "
      "revoke_device. Never returns tokens.",
      R"({"type":"object","properties":{},"additionalProperties":false})",
      kListOutput,
      {.read_only = true, .destructive = false, .idempotent = true, .open_world = false},
      "vault:read",
      &list_devices,
  };
}

Tool revoke_device_tool() {
  return {
      "revoke_device",
      "Revoke a device",
      "Revoke a registered device: its master token is deleted at once, so the CLI and any MCP "
      "bridge on that machine lose all access to the vault. Irreversible — the device must run "
      "`apilocker register` again. Confirm with the user first; revoking the current device "
      "(list_devices: current = true) ends this connection's own access. Keys are not "
      "affected.",
      R"({"type":"object","properties":{"device_id":{"type":"string","minLength":1,"maxLength":128,"description":"The device id from list_devices (dev_...)."}},"required":["device_id"],"additionalProperties":false})",
      R"({"type":"object","properties":{"id":{"type":"string"},"revoked":{"type":"boolean"},"revoked_at":{"type":"string"},"current":{"type":"boolean","description":"True when this connection's own device was revoked"}},"required":["id","revoked","revoked_at","current"]})",
      {.read_only = false, .destructive = true, .idempotent = true, .open_world = false},
      "vault:write",
      &revoke_device,
  };
}

}  // namespace ve::mcp::tools
