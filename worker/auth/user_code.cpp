#include "worker/auth/user_code.hpp"

#include <array>
#include <cstdint>

#include "worker/crypto/random.hpp"

namespace ve::auth {

namespace {
constexpr std::size_t kLetters = 8;

std::string formatted(std::string_view letters) {
  std::string out(letters.substr(0, 4));
  out += '-';
  out += letters.substr(4);
  return out;
}
}  // namespace

std::string new_user_code() {
  const std::size_t n = kUserCodeAlphabet.size();  // 20
  const std::size_t limit = 256 - (256 % n);       // 240: no modulo bias
  std::string letters;
  while (letters.size() < kLetters) {
    std::array<std::uint8_t, 16> buf{};
    if (!crypto::random_bytes(buf)) return {};
    for (std::uint8_t b : buf) {
      if (b < limit && letters.size() < kLetters) letters.push_back(kUserCodeAlphabet[b % n]);
    }
  }
  return formatted(letters);
}

std::optional<std::string> normalize_user_code(std::string_view typed) {
  std::string letters;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kUserCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    letters.push_back(c);
    if (letters.size() > kLetters) return std::nullopt;
  }
  if (letters.size() != kLetters) return std::nullopt;
  return formatted(letters);
}

}  // namespace ve::auth
