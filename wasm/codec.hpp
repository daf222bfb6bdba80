// Byte codec for the messages of wasm/ABI.md. Decoders return false on any
// truncated or malformed input instead of reading out of bounds.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/async/driver.hpp"

namespace ve::wasm {

/// ABI.md "Request" → Request (origin/path/query split from the URL). False if malformed.
bool decode_request(std::string_view bytes, http::Request& out);
/// ABI.md "Scheduled" → a Request with only `method` ("SCHEDULED") and `cron`
/// set. False if malformed or the cron expression is empty.
bool decode_scheduled(std::string_view bytes, http::Request& out);
/// ABI.md "Results" → task id and (effect id, result) pairs. False if malformed.
bool decode_results(std::string_view bytes, std::uint32_t& task_id,
                    std::vector<std::pair<std::uint32_t, async::EffectResult>>& out);
/// `configure` input (a `headers` list of env names and values). False if malformed.
bool decode_config(std::string_view bytes, std::map<std::string, std::string>& out);

/// ABI.md "Output" for a driver step (kind 0 done or 1 effects).
std::string encode_step(const async::Driver::Step& step);
/// ABI.md "Output" kind 2, the reply to `configure`.
std::string encode_config_reply(bool ok, std::string_view message);

}  // namespace ve::wasm
