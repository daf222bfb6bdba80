# BearSSL, built from Debian's source package `bearssl` (see ../../shared/DESIGN.md,
# "Cryptography" and "Toolchain facts").
#
# At configure time this module
#   1. looks for the pinned .orig tarball in the deps cache
#      (${VE_DEPS_CACHE}, else $ENV{VE_DEPS_CACHE}, else $HOME/.cache/vaultedge-deps,
#      else <build>/_deps/cache) and, on a miss, fetches it with
#      `apt-get source --download-only bearssl=<pinned version>` using a private
#      deb-src list, private index and private apt cache under the build dir:
#      /etc/apt and /var/lib/apt are never touched;
#   2. verifies the tarball's SHA-256 against the value pinned below (a mismatch
#      fails the configure; nothing unverified ever enters the cache);
#   3. extracts it under the build dir and defines `bearssl`, a static library made
#      of only the sources the core uses: AES-ct64 (+CTR), GCM, GHASH ctmul64,
#      SHA-224/256, HMAC and the codec helpers they call.
# After the first fetch a configure needs no network (cache hit).
#
# Knobs: VE_DEPS_CACHE (cache dir), VE_DEBIAN_MIRROR (override the mirror URI that
# is otherwise read from the machine's apt sources), VE_DEBIAN_SUITE (default
# bookworm).

include_guard(GLOBAL)

# --- pinned source ------------------------------------------------------------------
# Debian bookworm: bearssl 0.6+dfsg.1-3. The Debian packaging carries no patches, so
# the .orig tarball is the whole source we compile.
set(VE_BEARSSL_DEB_VERSION "0.6+dfsg.1-3")
set(VE_BEARSSL_ORIG "bearssl_0.6+dfsg.1.orig.tar.xz")
set(VE_BEARSSL_ORIG_SHA256 "102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004")
set(VE_BEARSSL_TOPDIR "bearssl-0.6")   # top-level directory inside the tarball

# The subset we compile (paths relative to the tarball's src/). Keep it minimal:
# whatever is not listed here is not in the wasm.
set(VE_BEARSSL_SOURCES
    symcipher/aes_ct64.c        # bitsliced constant-time AES core + key schedule
    symcipher/aes_ct64_enc.c    # AES rounds (encryption direction; CTR needs only this)
    symcipher/aes_ct64_ctr.c    # br_aes_ct64_ctr_* (the block-CTR class GCM drives)
    symcipher/aes_common.c      # br_aes_keysched helpers (S-box for the key schedule)
    aead/gcm.c                  # br_gcm_* (incl. constant-time br_gcm_check_tag)
    hash/ghash_ctmul64.c        # constant-time GHASH with 64-bit multiplications
    hash/sha2small.c            # SHA-224 / SHA-256
    mac/hmac.c                  # br_hmac_*
    codec/dec32be.c codec/enc32be.c   # big-endian range codecs (SHA-256)
    codec/dec32le.c codec/enc32le.c)  # little-endian range codecs (AES ct64)

set(VE_DEBIAN_SUITE "bookworm" CACHE STRING "Debian suite the BearSSL source package is fetched from")
set(VE_DEBIAN_MIRROR "" CACHE STRING
    "Debian mirror URI for the BearSSL source fetch (empty: read it from /etc/apt sources)")

# --- cache location ------------------------------------------------------------------
if(NOT VE_DEPS_CACHE)
  if(DEFINED ENV{VE_DEPS_CACHE} AND NOT "$ENV{VE_DEPS_CACHE}" STREQUAL "")
    set(VE_DEPS_CACHE "$ENV{VE_DEPS_CACHE}")
  elseif(DEFINED ENV{HOME} AND NOT "$ENV{HOME}" STREQUAL "")
    set(VE_DEPS_CACHE "$ENV{HOME}/.cache/vaultedge-deps")
  else()
    set(VE_DEPS_CACHE "${CMAKE_BINARY_DIR}/_deps/cache")
  endif()
endif()
set(_ve_bs_cache "${VE_DEPS_CACHE}/bearssl/${VE_BEARSSL_DEB_VERSION}")
set(_ve_bs_tarball "${_ve_bs_cache}/${VE_BEARSSL_ORIG}")
set(_ve_bs_work "${CMAKE_BINARY_DIR}/_deps/bearssl")
file(MAKE_DIRECTORY "${_ve_bs_cache}" "${_ve_bs_work}")

# --- helpers ---------------------------------------------------------------------------

# Reads the machine's apt sources (one-line *.list and deb822 *.sources, in apt's own
# places) and returns the first URI that serves `suite` with component `main`.
function(_ve_find_debian_mirror suite out_uri out_signed_by)
  set(_uri "")
  set(_signed "")
  set(_files "")
  if(EXISTS "/etc/apt/sources.list")
    list(APPEND _files "/etc/apt/sources.list")
  endif()
  file(GLOB _parts "/etc/apt/sources.list.d/*.list" "/etc/apt/sources.list.d/*.sources")
  list(SORT _parts)
  list(APPEND _files ${_parts})
  foreach(_f IN LISTS _files)
    file(STRINGS "${_f}" _lines)
    if(_f MATCHES "\\.sources$")
      # deb822: stanzas separated by blank lines (file(STRINGS) drops empty lines, so
      # a new stanza starts at each Types: field, which every stanza must carry).
      list(APPEND _lines "Types: __end__")
      set(_types "")
      set(_uris "")
      set(_suites "")
      set(_comps "")
      set(_sb "")
      set(_enabled "yes")
      foreach(_l IN LISTS _lines)
        if(_l MATCHES "^[ \t]*#")
          continue()
        endif()
        if(_l MATCHES "^Types:[ \t]*(.*)$")
          set(_next_types "${CMAKE_MATCH_1}")   # the checks below clobber CMAKE_MATCH_*
          # close the previous stanza
          string(REPLACE " " ";" _tl "${_types}")
          string(REPLACE " " ";" _sl "${_suites}")
          string(REPLACE " " ";" _cl "${_comps}")
          string(REPLACE " " ";" _ul "${_uris}")
          if(_uri STREQUAL "" AND NOT _enabled MATCHES "^[Nn][Oo]"
             AND ("deb" IN_LIST _tl OR "deb-src" IN_LIST _tl)
             AND suite IN_LIST _sl AND "main" IN_LIST _cl)
            list(GET _ul 0 _uri)
            if(_sb MATCHES "^/[^ ]+$")   # a keyring path; inline keys are not copied
              set(_signed "${_sb}")
            endif()
          endif()
          string(STRIP "${_next_types}" _types)
          set(_uris "")
          set(_suites "")
          set(_comps "")
          set(_sb "")
          set(_enabled "yes")
        elseif(_l MATCHES "^URIs:[ \t]*(.*)$")
          string(STRIP "${CMAKE_MATCH_1}" _uris)
        elseif(_l MATCHES "^Suites:[ \t]*(.*)$")
          string(STRIP "${CMAKE_MATCH_1}" _suites)
        elseif(_l MATCHES "^Components:[ \t]*(.*)$")
          string(STRIP "${CMAKE_MATCH_1}" _comps)
        elseif(_l MATCHES "^Signed-By:[ \t]*(.*)$")
          string(STRIP "${CMAKE_MATCH_1}" _sb)
        elseif(_l MATCHES "^Enabled:[ \t]*(.*)$")
          string(STRIP "${CMAKE_MATCH_1}" _enabled)
        endif()
      endforeach()
    else()
      # one-line: deb [ options ] uri suite component...
      foreach(_l IN LISTS _lines)
        if(NOT _uri STREQUAL "")
          break()
        endif()
        if(_l MATCHES "^[ \t]*(deb|deb-src)[ \t]+(\\[[^]]*\\][ \t]+)?([^ \t]+)[ \t]+([^ \t]+)[ \t]+(.*)$")
          set(_opts "${CMAKE_MATCH_2}")
          set(_u "${CMAKE_MATCH_3}")
          set(_s "${CMAKE_MATCH_4}")
          string(REGEX REPLACE "[ \t]+" ";" _cl "${CMAKE_MATCH_5}")
          if(_s STREQUAL suite AND "main" IN_LIST _cl)
            set(_uri "${_u}")
            if(_opts MATCHES "signed-by=([^] \t]+)")
              set(_signed "${CMAKE_MATCH_1}")
            endif()
          endif()
        endif()
      endforeach()
    endif()
    if(NOT _uri STREQUAL "")
      break()
    endif()
  endforeach()
  set(${out_uri} "${_uri}" PARENT_SCOPE)
  set(${out_signed_by} "${_signed}" PARENT_SCOPE)
endfunction()

function(_ve_check_sha256 file expected out_ok out_actual)
  file(SHA256 "${file}" _actual)
  set(${out_actual} "${_actual}" PARENT_SCOPE)
  if(_actual STREQUAL expected)
    set(${out_ok} TRUE PARENT_SCOPE)
  else()
    set(${out_ok} FALSE PARENT_SCOPE)
  endif()
endfunction()

# Fetches the pinned source package into the cache (verified before it is moved in).
function(_ve_fetch_bearssl)
  find_program(VE_APT_GET apt-get)
  if(NOT VE_APT_GET)
    message(FATAL_ERROR
      "bearssl: ${VE_BEARSSL_ORIG} is not in the deps cache (${_ve_bs_cache}) and apt-get "
      "is not available to fetch Debian's source package bearssl=${VE_BEARSSL_DEB_VERSION}. "
      "Put the verified tarball there (sha256 ${VE_BEARSSL_ORIG_SHA256}) or run on Debian.")
  endif()

  set(_mirror "${VE_DEBIAN_MIRROR}")
  set(_signed_by "")
  if(_mirror STREQUAL "")
    _ve_find_debian_mirror("${VE_DEBIAN_SUITE}" _mirror _signed_by)
  endif()
  if(_mirror STREQUAL "")
    message(FATAL_ERROR
      "bearssl: found no apt source for Debian '${VE_DEBIAN_SUITE}' main in /etc/apt/sources.list "
      "or /etc/apt/sources.list.d/; pass -DVE_DEBIAN_MIRROR=<uri> (e.g. a Debian mirror's /debian).")
  endif()

  set(_apt "${_ve_bs_work}/apt")
  file(REMOVE_RECURSE "${_apt}")
  file(MAKE_DIRECTORY "${_apt}/sources.list.d" "${_apt}/lists/partial"
       "${_apt}/cache/archives/partial" "${_apt}/download")
  set(_opts "")
  if(NOT _signed_by STREQUAL "" AND EXISTS "${_signed_by}")
    set(_opts " [signed-by=${_signed_by}]")
  endif()
  file(WRITE "${_apt}/sources.list.d/vaultedge-bearssl.list"
       "deb-src${_opts} ${_mirror} ${VE_DEBIAN_SUITE} main\n")
  set(_apt_opts
      -o "Dir::Etc::SourceList=/dev/null"
      -o "Dir::Etc::SourceParts=${_apt}/sources.list.d"
      -o "Dir::State::Lists=${_apt}/lists"
      -o "Dir::Cache=${_apt}/cache"
      -o "Acquire::Languages=none"
      -o "Acquire::Retries=3")

  message(STATUS "bearssl: fetching Debian source bearssl=${VE_BEARSSL_DEB_VERSION} from ${_mirror} (${VE_DEBIAN_SUITE})")
  execute_process(
    COMMAND "${VE_APT_GET}" ${_apt_opts} update
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _update_out ERROR_VARIABLE _update_out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR
      "bearssl: `apt-get update` on the private deb-src list failed (${_rc}):\n${_update_out}")
  endif()
  execute_process(
    COMMAND "${VE_APT_GET}" ${_apt_opts} source --download-only --only-source
            "bearssl=${VE_BEARSSL_DEB_VERSION}"
    WORKING_DIRECTORY "${_apt}/download"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${_apt}/download/${VE_BEARSSL_ORIG}")
    message(FATAL_ERROR
      "bearssl: `apt-get source --download-only bearssl=${VE_BEARSSL_DEB_VERSION}` failed (${_rc}). "
      "Either the mirror ${_mirror} was unreachable (no network and nothing cached in "
      "${_ve_bs_cache}) or the pinned version is gone from ${VE_DEBIAN_SUITE}.\n"
      "apt-get update said:\n${_update_out}\napt-get source said:\n${_out}")
  endif()

  _ve_check_sha256("${_apt}/download/${VE_BEARSSL_ORIG}" "${VE_BEARSSL_ORIG_SHA256}" _ok _actual)
  if(NOT _ok)
    message(FATAL_ERROR
      "bearssl: SHA-256 mismatch for the downloaded ${VE_BEARSSL_ORIG}\n"
      "  expected ${VE_BEARSSL_ORIG_SHA256}\n"
      "  got      ${_actual}\n"
      "Refusing to build cryptography from an unverified source. Nothing was cached.")
  endif()
  # Verified: move into the cache atomically (rename within one filesystem when possible).
  file(COPY_FILE "${_apt}/download/${VE_BEARSSL_ORIG}" "${_ve_bs_tarball}.tmp")
  file(RENAME "${_ve_bs_tarball}.tmp" "${_ve_bs_tarball}")
  file(GLOB _meta "${_apt}/download/*.dsc" "${_apt}/download/*.debian.tar.*")
  foreach(_m IN LISTS _meta)
    file(COPY "${_m}" DESTINATION "${_ve_bs_cache}")   # kept for reference only
  endforeach()
  file(REMOVE_RECURSE "${_apt}")
endfunction()

# --- fetch (or cache hit), verify, extract ----------------------------------------------
# Serialize concurrent configures (host and wasm build dirs) sharing one cache.
file(LOCK "${_ve_bs_cache}/.lock" GUARD FILE TIMEOUT 900 RESULT_VARIABLE _ve_bs_lock)
if(NOT _ve_bs_lock STREQUAL "0")
  message(FATAL_ERROR "bearssl: could not lock ${_ve_bs_cache}/.lock: ${_ve_bs_lock}")
endif()

if(EXISTS "${_ve_bs_tarball}")
  message(STATUS "bearssl: using cached ${_ve_bs_tarball}")
else()
  _ve_fetch_bearssl()
endif()

_ve_check_sha256("${_ve_bs_tarball}" "${VE_BEARSSL_ORIG_SHA256}" _ve_bs_ok _ve_bs_actual)
if(NOT _ve_bs_ok)
  message(FATAL_ERROR
    "bearssl: SHA-256 mismatch for the cached ${_ve_bs_tarball}\n"
    "  expected ${VE_BEARSSL_ORIG_SHA256}\n"
    "  got      ${_ve_bs_actual}\n"
    "The cache is corrupt or was tampered with. Delete that file and configure again to "
    "re-fetch bearssl=${VE_BEARSSL_DEB_VERSION} from Debian.")
endif()
file(LOCK "${_ve_bs_cache}/.lock" RELEASE)

set(VE_BEARSSL_DIR "${_ve_bs_work}/src/${VE_BEARSSL_TOPDIR}")
set(_ve_bs_stamp "${_ve_bs_work}/src/.extracted-${VE_BEARSSL_ORIG_SHA256}")
if(NOT EXISTS "${_ve_bs_stamp}" OR NOT EXISTS "${VE_BEARSSL_DIR}/inc/bearssl.h")
  file(REMOVE_RECURSE "${_ve_bs_work}/src")
  file(MAKE_DIRECTORY "${_ve_bs_work}/src")
  file(ARCHIVE_EXTRACT INPUT "${_ve_bs_tarball}" DESTINATION "${_ve_bs_work}/src")
  if(NOT EXISTS "${VE_BEARSSL_DIR}/inc/bearssl.h")
    message(FATAL_ERROR "bearssl: ${VE_BEARSSL_ORIG} did not extract to ${VE_BEARSSL_DIR}")
  endif()
  file(TOUCH "${_ve_bs_stamp}")
endif()

# --- the library ----------------------------------------------------------------------------
set(_ve_bs_srcs "")
foreach(_s IN LISTS VE_BEARSSL_SOURCES)
  if(NOT EXISTS "${VE_BEARSSL_DIR}/src/${_s}")
    message(FATAL_ERROR "bearssl: expected source ${_s} is missing from ${VE_BEARSSL_DIR}/src")
  endif()
  list(APPEND _ve_bs_srcs "${VE_BEARSSL_DIR}/src/${_s}")
endforeach()

add_library(bearssl STATIC ${_ve_bs_srcs})
set_target_properties(bearssl PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF)
target_include_directories(bearssl SYSTEM PUBLIC "${VE_BEARSSL_DIR}/inc")
target_include_directories(bearssl PRIVATE "${VE_BEARSSL_DIR}/src")
# We never use BearSSL's own entropy or clock (randomness comes from getentropy(),
# i.e. WASI random_get on wasm; time from the host), and none of the compiled files
# needs them; switch the autodetection off so no target (wasm32-wasi included) picks
# /dev/urandom, RDRAND or time(). No CPU-specific AES/GHASH paths are compiled either.
target_compile_definitions(bearssl PRIVATE
  BR_USE_URANDOM=0 BR_USE_WIN32_RAND=0 BR_RDRAND=0
  BR_USE_UNIX_TIME=0 BR_USE_WIN32_TIME=0
  BR_AES_X86NI=0 BR_SSE2=0 BR_POWER8=0)
if(WASI)
  # Same size-first optimization as the Worker's core; wasm32 has native 64-bit integer
  # arithmetic, which is what aes_ct64 / ghash_ctmul64 rely on.
  target_compile_options(bearssl PRIVATE -Oz)
endif()
