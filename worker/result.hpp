// Errors as values: the wasm build has no C++ exceptions (docs/architecture.md, toolchain
// facts), so every fallible operation returns ve::Result<T>. libc++ 14 has no
// std::expected; this is the minimal subset we use.
#pragma once
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace ve {

/// A failure that maps directly onto an HTTP error reply.
/// `status`: HTTP status (4xx for the caller's mistakes, 5xx for ours);
/// `code`: stable machine-readable token (e.g. "not_found");
/// `message`: a sentence a person can act on. Never contains secret material.
struct Error {
  int status = 500;
  std::string code = "internal";
  std::string message = "internal error";
  /// Seconds after which a retry may succeed (429/503): sent as `Retry-After`
  /// (RFC 9110 §10.2.3) when > 0.
  int retry_after_s = 0;
};

inline Error bad_request(std::string message, std::string code = "invalid_request") {
  return {400, std::move(code), std::move(message)};
}
inline Error not_found(std::string message) {
  return {404, "not_found", std::move(message)};
}
inline Error conflict(std::string message, std::string code = "conflict") {
  return {409, std::move(code), std::move(message)};
}
inline Error unavailable(std::string message) {
  return {503, "unavailable", std::move(message)};
}

/// Either a T or an Error. Accessing the wrong alternative aborts (a bug, not input).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return check(), std::get<0>(v_); }
  T&& value() && { return check(), std::get<0>(std::move(v_)); }
  const T& value() const& { return check(), std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const {
    if (ok()) std::abort();
    return std::get<1>(v_);
  }

 private:
  void check() const {
    if (!ok()) std::abort();
  }
  std::variant<T, Error> v_;
};

/// Result without a value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    if (ok_) std::abort();
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace ve
