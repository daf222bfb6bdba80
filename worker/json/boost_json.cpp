// Boost.JSON compiled once, header-only, without exceptions (docs/architecture.md toolchain
// facts): a throw inside Boost is a bug in how we call it, so it aborts.
#include <boost/throw_exception.hpp>
#include <cstdlib>

namespace boost {
BOOST_NORETURN void throw_exception(std::exception const&) {
  std::abort();
}
BOOST_NORETURN void throw_exception(std::exception const&, boost::source_location const&) {
  std::abort();
}
}  // namespace boost

#include <boost/json/src.hpp>
