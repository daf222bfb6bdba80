#include "worker/vault/env_name.hpp"

namespace ve::vault {

namespace {
bool upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool screaming_snake(std::string_view s) {
  if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
  for (char c : s) {
    if (!upper_or_digit(c) && c != '_') return false;
  }
  return true;
}
}  // namespace

std::string env_name(std::string_view name) {
  if (screaming_snake(name)) return std::string(name);
  std::string out;
  out.reserve(name.size() + 1);
  bool gap = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (upper_or_digit(c)) {
      if (gap && !out.empty()) out.push_back('_');
      gap = false;
      out.push_back(c);
    } else {
      gap = true;  // leading runs are dropped, trailing runs never emitted: trimmed
    }
  }
  if (!out.empty() && out.front() >= '0' && out.front() <= '9') out.insert(out.begin(), '_');
  return out;
}

std::string oauth_env_name(std::string_view name, std::string_view field) {
  std::string out = env_name(name);
  out.push_back('_');
  for (char c : field) out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  return out;
}

}  // namespace ve::vault
