# valijson (header-only JSON Schema validator), from Debian's binary package
# `libvalijson-dev` (see docs/architecture.md, "MCP": tool arguments are validated
# against each tool's inputSchema).
#
# The package's apt dependencies are huge (Qt, Poco: it ships adapters for every JSON
# library), and we use only its headers with the Boost.JSON adapter, so it is never
# apt-installed. At configure time this module
#   1. gets the pinned .deb through ve_debian_fetch (cmake/debian_fetch.cmake): from
#      the deps cache (the same one cmake/bearssl.cmake uses: ${VE_DEPS_CACHE}, else
#      $ENV{VE_DEPS_CACHE}, else $HOME/.cache/vaultedge-deps, else
#      <build>/_deps/cache) or, on a miss, with
#      `apt-get download libvalijson-dev=<pinned version>` using a private sources
#      list, private index and private apt cache under the build dir (/etc/apt and
#      /var/lib/apt are never touched), the cache being locked meanwhile;
#   2. the .deb's SHA-256 is verified against the value pinned below (a mismatch fails
#      the configure; nothing unverified ever enters the cache);
#   3. unpacks it with `dpkg -x` under the build dir and defines `valijson`, an
#      INTERFACE target carrying the include directory (as a SYSTEM include).
# After the first fetch a configure needs no network (cache hit).
#
# Consumers compile with VALIJSON_USE_EXCEPTIONS unset: a malformed *schema* then
# aborts (it is our own constant text, unit-tested), while invalid *data* is reported
# through valijson::ValidationResults.
#
# Knobs (shared with cmake/bearssl.cmake, see cmake/debian_fetch.cmake): VE_DEPS_CACHE,
# VE_DEBIAN_MIRROR, VE_DEBIAN_SUITE.

include_guard(GLOBAL)
include(debian_fetch)

# --- pinned package ----------------------------------------------------------------
# Debian bookworm: libvalijson-dev 1.0+repack-2 (Architecture: all).
set(VE_VALIJSON_DEB_VERSION "1.0+repack-2")
set(VE_VALIJSON_DEB "libvalijson-dev_1.0+repack-2_all.deb")
set(VE_VALIJSON_DEB_SHA256 "36974bd3ff53c05c2c686ecfa094ee437ff3f520e9ab67e552f1a56f19897643")

# --- fetch (or cache hit) and verify, then unpack ---------------------------------------
ve_debian_fetch(_ve_vj_deb
  KIND binary PACKAGE libvalijson-dev VERSION "${VE_VALIJSON_DEB_VERSION}"
  FILE "${VE_VALIJSON_DEB}" SHA256 "${VE_VALIJSON_DEB_SHA256}" CACHE_SUBDIR valijson)

set(_ve_vj_work "${CMAKE_BINARY_DIR}/_deps/valijson")
set(VE_VALIJSON_INCLUDE "${_ve_vj_work}/root/usr/include")
set(_ve_vj_stamp "${_ve_vj_work}/root/.extracted-${VE_VALIJSON_DEB_SHA256}")
if(NOT EXISTS "${_ve_vj_stamp}" OR NOT EXISTS "${VE_VALIJSON_INCLUDE}/valijson/validator.hpp")
  find_program(VE_DPKG_DEB dpkg-deb)
  if(NOT VE_DPKG_DEB)
    message(FATAL_ERROR "valijson: dpkg-deb is needed to unpack ${VE_VALIJSON_DEB}")
  endif()
  file(REMOVE_RECURSE "${_ve_vj_work}/root")
  file(MAKE_DIRECTORY "${_ve_vj_work}/root")
  execute_process(COMMAND "${VE_DPKG_DEB}" -x "${_ve_vj_deb}" "${_ve_vj_work}/root"
                  RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${VE_VALIJSON_INCLUDE}/valijson/validator.hpp")
    message(FATAL_ERROR "valijson: `dpkg-deb -x ${VE_VALIJSON_DEB}` failed (${_rc}): ${_err}")
  endif()
  file(TOUCH "${_ve_vj_stamp}")
endif()

add_library(valijson INTERFACE)
target_include_directories(valijson SYSTEM INTERFACE "${VE_VALIJSON_INCLUDE}")
