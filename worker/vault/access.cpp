#include "worker/vault/access.hpp"

#include "worker/vault/sealing.hpp"

namespace ve::vault {

async::Task<Result<OpenedKey>> open_current(api::Ctx& ctx, const std::string& ref) {
  auto key = co_await load_key(ctx, ref);
  if (!key.ok()) co_return key.error();
  auto blob = co_await ctx.io.kv_get(key.value().blob_key);
  if (!blob.ok()) co_return blob.error();
  if (!blob.value().found) {
    co_return Error{503, "value_not_replicated",
                    "the value of key '" + key.value().name +
                        "' is not readable in this location yet; retry in a minute"};
  }
  auto opened = open_value(ctx.config.keys(), ctx.principal.user_id, key.value().id,
                           key.value().current_version, blob.value().value);
  if (!opened.ok()) co_return opened.error();
  co_return OpenedKey{std::move(key.value()), std::move(opened.value())};
}

}  // namespace ve::vault
