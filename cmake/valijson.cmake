# valijson (header-only JSON Schema validator), from Debian's binary package
# `libvalijson-dev` (see ../../shared/DESIGN.md, "MCP": tool arguments are validated
# against each tool's inputSchema).
#
# The package's apt dependencies are huge (Qt, Poco: it ships adapters for every JSON
# library), and we use only its headers with the Boost.JSON adapter, so it is never
# apt-installed. At configure time this module
#   1. looks for the pinned .deb in the deps cache (the same one cmake/bearssl.cmake
#      uses: ${VE_DEPS_CACHE}, else $ENV{VE_DEPS_CACHE}, else
#      $HOME/.cache/vaultedge-deps) and, on a miss, fetches it with
#      `apt-get download libvalijson-dev=<pinned version>` using a private sources
#      list, private index and private apt cache under the build dir (/etc/apt and
#      /var/lib/apt are never touched);
#   2. verifies the .deb's SHA-256 against the value pinned below (a mismatch fails
#      the configure; nothing unverified ever enters the cache);
#   3. unpacks it with `dpkg -x` under the build dir and defines `valijson`, an
#      INTERFACE target carrying the include directory (as a SYSTEM include).
# After the first fetch a configure needs no network (cache hit).
#
# Consumers compile with VALIJSON_USE_EXCEPTIONS unset: a malformed *schema* then
# aborts (it is our own constant text, unit-tested), while invalid *data* is reported
# through valijson::ValidationResults.
#
# Needs cmake/bearssl.cmake included first (its mirror discovery and SHA-256 helpers
# and VE_DEPS_CACHE / VE_DEBIAN_MIRROR / VE_DEBIAN_SUITE settings are shared).

include_guard(GLOBAL)
include(bearssl)

# --- pinned package ----------------------------------------------------------------
# Debian bookworm: libvalijson-dev 1.0+repack-2 (Architecture: all).
set(VE_VALIJSON_DEB_VERSION "1.0+repack-2")
set(VE_VALIJSON_DEB "libvalijson-dev_1.0+repack-2_all.deb")
set(VE_VALIJSON_DEB_SHA256 "36974bd3ff53c05c2c686ecfa094ee437ff3f520e9ab67e552f1a56f19897643")

set(_ve_vj_cache "${VE_DEPS_CACHE}/valijson/${VE_VALIJSON_DEB_VERSION}")
set(_ve_vj_deb "${_ve_vj_cache}/${VE_VALIJSON_DEB}")
set(_ve_vj_work "${CMAKE_BINARY_DIR}/_deps/valijson")
file(MAKE_DIRECTORY "${_ve_vj_cache}" "${_ve_vj_work}")

# Fetches the pinned .deb into the cache (verified before it is moved in).
function(_ve_fetch_valijson)
  find_program(VE_APT_GET apt-get)
  if(NOT VE_APT_GET)
    message(FATAL_ERROR
      "valijson: ${VE_VALIJSON_DEB} is not in the deps cache (${_ve_vj_cache}) and apt-get "
      "is not available to fetch libvalijson-dev=${VE_VALIJSON_DEB_VERSION}. Put the verified "
      ".deb there (sha256 ${VE_VALIJSON_DEB_SHA256}) or run on Debian.")
  endif()
  set(_mirror "${VE_DEBIAN_MIRROR}")
  set(_signed_by "")
  if(_mirror STREQUAL "")
    _ve_find_debian_mirror("${VE_DEBIAN_SUITE}" _mirror _signed_by)
  endif()
  if(_mirror STREQUAL "")
    message(FATAL_ERROR
      "valijson: found no apt source for Debian '${VE_DEBIAN_SUITE}' main; pass "
      "-DVE_DEBIAN_MIRROR=<uri> (e.g. a Debian mirror's /debian).")
  endif()

  set(_apt "${_ve_vj_work}/apt")
  file(REMOVE_RECURSE "${_apt}")
  file(MAKE_DIRECTORY "${_apt}/sources.list.d" "${_apt}/lists/partial"
       "${_apt}/cache/archives/partial" "${_apt}/download")
  set(_opts "")
  if(NOT _signed_by STREQUAL "" AND EXISTS "${_signed_by}")
    set(_opts " [signed-by=${_signed_by}]")
  endif()
  file(WRITE "${_apt}/sources.list.d/vaultedge-valijson.list"
       "deb${_opts} ${_mirror} ${VE_DEBIAN_SUITE} main\n")
  set(_apt_opts
      -o "Dir::Etc::SourceList=/dev/null"
      -o "Dir::Etc::SourceParts=${_apt}/sources.list.d"
      -o "Dir::State::Lists=${_apt}/lists"
      -o "Dir::Cache=${_apt}/cache"
      -o "Acquire::Languages=none"
      -o "Acquire::Retries=3")

  message(STATUS "valijson: fetching libvalijson-dev=${VE_VALIJSON_DEB_VERSION} from ${_mirror} (${VE_DEBIAN_SUITE})")
  execute_process(
    COMMAND "${VE_APT_GET}" ${_apt_opts} update
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _update_out ERROR_VARIABLE _update_out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "valijson: `apt-get update` on the private list failed (${_rc}):\n${_update_out}")
  endif()
  execute_process(
    COMMAND "${VE_APT_GET}" ${_apt_opts} download "libvalijson-dev=${VE_VALIJSON_DEB_VERSION}"
    WORKING_DIRECTORY "${_apt}/download"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${_apt}/download/${VE_VALIJSON_DEB}")
    message(FATAL_ERROR
      "valijson: `apt-get download libvalijson-dev=${VE_VALIJSON_DEB_VERSION}` failed (${_rc}). "
      "Either the mirror ${_mirror} was unreachable (no network and nothing cached in "
      "${_ve_vj_cache}) or the pinned version is gone from ${VE_DEBIAN_SUITE}.\n${_out}")
  endif()
  _ve_check_sha256("${_apt}/download/${VE_VALIJSON_DEB}" "${VE_VALIJSON_DEB_SHA256}" _ok _actual)
  if(NOT _ok)
    message(FATAL_ERROR
      "valijson: SHA-256 mismatch for the downloaded ${VE_VALIJSON_DEB}\n"
      "  expected ${VE_VALIJSON_DEB_SHA256}\n  got      ${_actual}\n"
      "Refusing to build from an unverified package. Nothing was cached.")
  endif()
  file(COPY_FILE "${_apt}/download/${VE_VALIJSON_DEB}" "${_ve_vj_deb}.tmp")
  file(RENAME "${_ve_vj_deb}.tmp" "${_ve_vj_deb}")
  file(REMOVE_RECURSE "${_apt}")
endfunction()

# --- fetch (or cache hit), verify, unpack ---------------------------------------------
file(LOCK "${_ve_vj_cache}/.lock" GUARD FILE TIMEOUT 900 RESULT_VARIABLE _ve_vj_lock)
if(NOT _ve_vj_lock STREQUAL "0")
  message(FATAL_ERROR "valijson: could not lock ${_ve_vj_cache}/.lock: ${_ve_vj_lock}")
endif()
if(EXISTS "${_ve_vj_deb}")
  message(STATUS "valijson: using cached ${_ve_vj_deb}")
else()
  _ve_fetch_valijson()
endif()
_ve_check_sha256("${_ve_vj_deb}" "${VE_VALIJSON_DEB_SHA256}" _ve_vj_ok _ve_vj_actual)
if(NOT _ve_vj_ok)
  message(FATAL_ERROR
    "valijson: SHA-256 mismatch for the cached ${_ve_vj_deb}\n"
    "  expected ${VE_VALIJSON_DEB_SHA256}\n  got      ${_ve_vj_actual}\n"
    "The cache is corrupt or was tampered with. Delete that file and configure again.")
endif()
file(LOCK "${_ve_vj_cache}/.lock" RELEASE)

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
