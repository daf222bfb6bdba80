# Configure-time fetch of pinned Debian packages into a verified deps cache, shared by
# cmake/bearssl.cmake (a *source* package) and cmake/valijson.cmake (a *binary* .deb);
# see docs/architecture.md, "Toolchain facts".
#
#   ve_debian_fetch(<out_path_var>
#                   KIND source|binary PACKAGE <name> VERSION <debian version>
#                   FILE <file name> SHA256 <hex> CACHE_SUBDIR <dir> [LABEL <label>])
#
# sets <out_path_var> to the verified file ${VE_DEPS_CACHE}/<dir>/<version>/<file>:
#   1. locks that cache directory (<dir>/<version>/.lock), so concurrent configures
#      (host and wasm build dirs) sharing one cache are serialized;
#   2. on a cache hit uses the cached file; on a miss fetches it with a private apt
#      configuration under <build>/_deps/<dir>/apt (private sources list, index and
#      apt cache: /etc/apt and /var/lib/apt are never touched):
#        KIND source: a deb-src entry and
#                     `apt-get source --download-only --only-source <name>=<version>`,
#                     <file> being one of the files it downloads (e.g. the .orig
#                     tarball; the .dsc and .debian.tar.* are kept beside it for
#                     reference);
#        KIND binary: a deb entry and `apt-get download <name>=<version>`;
#      the download's SHA-256 is checked against SHA256 before it is copied
#      (atomically: copy to .tmp, then rename) into the cache, so nothing unverified
#      ever enters the cache;
#   3. verifies the cached file's SHA-256 (a mismatch fails the configure, saying which
#      file to delete), then unlocks.
# Messages are prefixed with LABEL (default: CACHE_SUBDIR). After the first fetch a
# configure needs no network (cache hit).
#
# Knobs: VE_DEPS_CACHE (cache dir: -DVE_DEPS_CACHE=..., else $ENV{VE_DEPS_CACHE}, else
# $HOME/.cache/vaultedge-deps, else <build>/_deps/cache), VE_DEBIAN_MIRROR (override the
# mirror URI that is otherwise read from the machine's apt sources), VE_DEBIAN_SUITE
# (default bookworm).

include_guard(GLOBAL)

set(VE_DEBIAN_SUITE "bookworm" CACHE STRING "Debian suite the pinned packages are fetched from")
set(VE_DEBIAN_MIRROR "" CACHE STRING
    "Debian mirror URI for the pinned package fetches (empty: read it from /etc/apt sources)")

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

# Fetches <file> of package <name>=<version> into <cache_dir> (verified before it is
# moved in). Called by ve_debian_fetch with the cache lock held.
function(_ve_debian_download label kind package version file sha256 cache_dir work_dir)
  set(_spec "${package}=${version}")
  if(kind STREQUAL "source")
    set(_what "Debian's source package ${_spec}")
    set(_type "deb-src")
    set(_verb source --download-only --only-source)
    set(_cmd "apt-get source --download-only ${_spec}")
  else()
    set(_what "Debian's package ${_spec}")
    set(_type "deb")
    set(_verb download)
    set(_cmd "apt-get download ${_spec}")
  endif()

  find_program(VE_APT_GET apt-get)
  if(NOT VE_APT_GET)
    message(FATAL_ERROR
      "${label}: ${file} is not in the deps cache (${cache_dir}) and apt-get is not "
      "available to fetch ${_what}. Put the verified file there (sha256 ${sha256}) or "
      "run on Debian.")
  endif()

  set(_mirror "${VE_DEBIAN_MIRROR}")
  set(_signed_by "")
  if(_mirror STREQUAL "")
    _ve_find_debian_mirror("${VE_DEBIAN_SUITE}" _mirror _signed_by)
  endif()
  if(_mirror STREQUAL "")
    message(FATAL_ERROR
      "${label}: found no apt source for Debian '${VE_DEBIAN_SUITE}' main in "
      "/etc/apt/sources.list or /etc/apt/sources.list.d/; pass -DVE_DEBIAN_MIRROR=<uri> "
      "(e.g. a Debian mirror's /debian).")
  endif()

  set(_apt "${work_dir}/apt")
  file(REMOVE_RECURSE "${_apt}")
  file(MAKE_DIRECTORY "${_apt}/sources.list.d" "${_apt}/lists/partial"
       "${_apt}/cache/archives/partial" "${_apt}/download")
  set(_opts "")
  if(NOT _signed_by STREQUAL "" AND EXISTS "${_signed_by}")
    set(_opts " [signed-by=${_signed_by}]")
  endif()
  file(WRITE "${_apt}/sources.list.d/vaultedge-${label}.list"
       "${_type}${_opts} ${_mirror} ${VE_DEBIAN_SUITE} main\n")
  set(_apt_opts
      -o "Dir::Etc::SourceList=/dev/null"
      -o "Dir::Etc::SourceParts=${_apt}/sources.list.d"
      -o "Dir::State::Lists=${_apt}/lists"
      -o "Dir::Cache=${_apt}/cache"
      -o "Acquire::Languages=none"
      -o "Acquire::Retries=3")

  message(STATUS "${label}: fetching ${_what} from ${_mirror} (${VE_DEBIAN_SUITE})")
  execute_process(
    COMMAND "${VE_APT_GET}" ${_apt_opts} update
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _update_out ERROR_VARIABLE _update_out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR
      "${label}: `apt-get update` on the private ${_type} list failed (${_rc}); check the "
      "network and the mirror ${_mirror} (or pass -DVE_DEBIAN_MIRROR=<uri>):\n${_update_out}")
  endif()
  execute_process(
    COMMAND "${VE_APT_GET}" ${_apt_opts} ${_verb} "${_spec}"
    WORKING_DIRECTORY "${_apt}/download"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${_apt}/download/${file}")
    message(FATAL_ERROR
      "${label}: `${_cmd}` failed (${_rc}) or did not produce ${file}. "
      "Either the mirror ${_mirror} was unreachable (no network and nothing cached in "
      "${cache_dir}) or the pinned version is gone from ${VE_DEBIAN_SUITE}; put the "
      "verified file in that cache dir (sha256 ${sha256}) or pass -DVE_DEBIAN_MIRROR=<uri>.\n"
      "apt-get update said:\n${_update_out}\n${_cmd} said:\n${_out}")
  endif()

  _ve_check_sha256("${_apt}/download/${file}" "${sha256}" _ok _actual)
  if(NOT _ok)
    message(FATAL_ERROR
      "${label}: SHA-256 mismatch for the downloaded ${file}\n"
      "  expected ${sha256}\n"
      "  got      ${_actual}\n"
      "Refusing to build from an unverified package (${_spec} from ${_mirror}). "
      "Nothing was cached.")
  endif()
  # Verified: move into the cache atomically (rename within one filesystem when possible).
  set(_dest "${cache_dir}/${file}")
  file(COPY_FILE "${_apt}/download/${file}" "${_dest}.tmp")
  file(RENAME "${_dest}.tmp" "${_dest}")
  if(kind STREQUAL "source")
    file(GLOB _meta "${_apt}/download/*.dsc" "${_apt}/download/*.debian.tar.*")
    foreach(_m IN LISTS _meta)
      file(COPY "${_m}" DESTINATION "${cache_dir}")   # kept for reference only
    endforeach()
  endif()
  file(REMOVE_RECURSE "${_apt}")
endfunction()

# --- the entry point ---------------------------------------------------------------------
function(ve_debian_fetch out_path)
  cmake_parse_arguments(PARSE_ARGV 1 _a "" "KIND;PACKAGE;VERSION;FILE;SHA256;CACHE_SUBDIR;LABEL" "")
  foreach(_k KIND PACKAGE VERSION FILE SHA256 CACHE_SUBDIR)
    if("${_a_${_k}}" STREQUAL "")
      message(FATAL_ERROR "ve_debian_fetch: ${_k} is required")
    endif()
  endforeach()
  if(_a_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ve_debian_fetch: unexpected arguments: ${_a_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT _a_KIND MATCHES "^(source|binary)$")
    message(FATAL_ERROR "ve_debian_fetch: KIND must be source or binary, not '${_a_KIND}'")
  endif()
  if(NOT _a_SHA256 MATCHES "^[0-9a-f]+$")
    message(FATAL_ERROR "ve_debian_fetch: SHA256 must be lowercase hex, not '${_a_SHA256}'")
  endif()
  set(_label "${_a_LABEL}")
  if(_label STREQUAL "")
    set(_label "${_a_CACHE_SUBDIR}")
  endif()

  set(_cache "${VE_DEPS_CACHE}/${_a_CACHE_SUBDIR}/${_a_VERSION}")
  set(_path "${_cache}/${_a_FILE}")
  set(_work "${CMAKE_BINARY_DIR}/_deps/${_a_CACHE_SUBDIR}")
  file(MAKE_DIRECTORY "${_cache}" "${_work}")

  # Serialize concurrent configures (host and wasm build dirs) sharing one cache.
  file(LOCK "${_cache}/.lock" GUARD FUNCTION TIMEOUT 900 RESULT_VARIABLE _lock)
  if(NOT _lock STREQUAL "0")
    message(FATAL_ERROR
      "${_label}: could not lock ${_cache}/.lock: ${_lock} (another configure may hold it; "
      "retry, or use another VE_DEPS_CACHE)")
  endif()

  if(EXISTS "${_path}")
    message(STATUS "${_label}: using cached ${_path}")
  else()
    _ve_debian_download("${_label}" "${_a_KIND}" "${_a_PACKAGE}" "${_a_VERSION}"
                        "${_a_FILE}" "${_a_SHA256}" "${_cache}" "${_work}")
  endif()

  _ve_check_sha256("${_path}" "${_a_SHA256}" _ok _actual)
  if(NOT _ok)
    message(FATAL_ERROR
      "${_label}: SHA-256 mismatch for the cached ${_path}\n"
      "  expected ${_a_SHA256}\n"
      "  got      ${_actual}\n"
      "The cache is corrupt or was tampered with. Delete that file and configure again to "
      "re-fetch ${_a_PACKAGE}=${_a_VERSION} from Debian.")
  endif()
  file(LOCK "${_cache}/.lock" RELEASE)

  set(${out_path} "${_path}" PARENT_SCOPE)
endfunction()
