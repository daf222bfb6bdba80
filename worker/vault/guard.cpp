#include "worker/vault/guard.hpp"

#include <array>

namespace ve::vault {

namespace {
struct Reason {
  Guard guard;
  std::string_view name;
};
constexpr std::array kReasons = {
    Reason{Guard::name_taken, "name_taken"}, Reason{Guard::key_changed, "key_changed"},
    Reason{Guard::key_missing, "key_missing"}, Reason{Guard::state, "state"}};

std::string_view reason_name(Guard g) {
  for (const auto& r : kReasons) {
    if (r.guard == g) return r.name;
  }
  return "state";
}
}  // namespace

async::Statement abort_if(Guard reason, std::string_view abort_when,
                          std::vector<async::SqlValue> params) {
  std::string sql = "INSERT INTO batch_guard (reason) SELECT '";
  sql.append(reason_name(reason)).append("' WHERE ").append(abort_when);
  return {std::move(sql), std::move(params)};
}

std::optional<Guard> tripped_guard(const Error& batch_error) {
  const std::string& m = batch_error.message;
  if (m.find("CHECK constraint failed") == std::string::npos) return std::nullopt;
  for (const auto& r : kReasons) {
    if (m.find("guard_" + std::string(r.name)) != std::string::npos) return r.guard;
  }
  return std::nullopt;
}

bool unique_violation(const Error& batch_error) {
  return batch_error.message.find("UNIQUE constraint failed") != std::string::npos;
}

Error guard_error(Guard g, std::string_view key_label, std::string_view name) {
  const std::string key(key_label);
  switch (g) {
    case Guard::name_taken:
      return conflict("a key named '" + std::string(name) +
                          "' already exists in your vault (or it is the old name of one, "
                          "which still resolves to it)",
                      "name_taken");
    case Guard::key_changed:
      return conflict(key + " was changed by another request at the same time; retry",
                      "concurrent_change");
    case Guard::key_missing:
      return not_found(key + " was not found (deleted meanwhile?)");
    case Guard::state:
      return conflict(key + " changed state at the same time; retry", "invalid_state");
  }
  return conflict(key + " changed; retry");
}

Error batch_failure(const Error& batch_error, std::string_view key_label, std::string_view name) {
  if (auto g = tripped_guard(batch_error)) return guard_error(*g, key_label, name);
  if (unique_violation(batch_error)) return guard_error(Guard::name_taken, key_label, name);
  return batch_error;
}

bool surely_rolled_back(const Error& batch_error) {
  return tripped_guard(batch_error).has_value() || unique_violation(batch_error);
}

}  // namespace ve::vault
