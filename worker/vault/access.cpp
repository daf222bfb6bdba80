#include "worker/vault/access.hpp"

#include "worker/vault/sealing.hpp"

namespace ve::vault {

async::Task<Result<OpenedKey>> open_current(api::Ctx& ctx, const std::string& ref) {
  auto key = co_await load_key(ctx, ref);
  if (!key.ok()) co_return key.error();
  auto value = co_await open_value_of(ctx, key.value());
  if (!value.ok()) co_return value.error();
  co_return OpenedKey{std::move(key.value()), std::move(value.value())};
}

async::Task<Result<std::string>> open_value_of(api::Ctx& ctx, const KeyRecord& key) {
  auto blob = co_await ctx.io.kv_get(key.blob_key);
  if (!blob.ok()) co_return blob.error();
  if (!blob.value().found) {
    co_return Error{503, "value_not_replicated",
                    "the value of key '" + key.name +
                        "' is not readable in this location yet; retry in a minute"};
  }
  co_return open_value(ctx.config.keys(), ctx.principal.user_id, key.id, key.current_version,
                       blob.value().value);
}

}  // namespace ve::vault
