// Catch2 v2 entry point for the host and wasm unit-test binaries. Both build
// with -fno-exceptions (CATCH_CONFIG_DISABLE_EXCEPTIONS): Catch then reports an
// internal failure by terminating, which ctest shows as a failed test.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
