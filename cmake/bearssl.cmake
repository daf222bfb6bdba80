# BearSSL, built from Debian's source package `bearssl` (see docs/architecture.md,
# "Cryptography" and "Toolchain facts").
#
# At configure time this module
#   1. gets the pinned .orig tarball through ve_debian_fetch (cmake/debian_fetch.cmake):
#      from the deps cache (${VE_DEPS_CACHE}, else $ENV{VE_DEPS_CACHE}, else
#      $HOME/.cache/vaultedge-deps, else <build>/_deps/cache) or, on a miss, with
#      `apt-get source --download-only bearssl=<pinned version>` using a private
#      deb-src list, private index and private apt cache under the build dir
#      (/etc/apt and /var/lib/apt are never touched), the cache being locked meanwhile;
#   2. the tarball's SHA-256 is verified against the value pinned below (a mismatch
#      fails the configure; nothing unverified ever enters the cache);
#   3. extracts it under the build dir and defines `bearssl`, a static library made
#      of only the sources the core uses: AES-ct64 (+CTR), GCM, GHASH ctmul64,
#      SHA-224/256, HMAC and the codec helpers they call.
# After the first fetch a configure needs no network (cache hit).
#
# Knobs (see cmake/debian_fetch.cmake): VE_DEPS_CACHE (cache dir), VE_DEBIAN_MIRROR
# (override the mirror URI that is otherwise read from the machine's apt sources),
# VE_DEBIAN_SUITE (default bookworm).

include_guard(GLOBAL)
include(debian_fetch)

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

# --- fetch (or cache hit) and verify, then extract --------------------------------------
ve_debian_fetch(_ve_bs_tarball
  KIND source PACKAGE bearssl VERSION "${VE_BEARSSL_DEB_VERSION}"
  FILE "${VE_BEARSSL_ORIG}" SHA256 "${VE_BEARSSL_ORIG_SHA256}" CACHE_SUBDIR bearssl)

set(_ve_bs_work "${CMAKE_BINARY_DIR}/_deps/bearssl")
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
