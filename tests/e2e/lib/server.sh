# shellcheck shell=bash
# Sourced by tests/e2e/run and tools/bench/run: start a private vaultedge dev
# server (its own wrangler state, its own port), wait for it, stop it.
#
#   ve_srv_start STATE_DIR PORT LOG    starts the server in its own process group
#   ve_srv_launch PORT LOG DIR CMD...  the same for any command (run in DIR)
#   ve_srv_wait  TIMEOUT_S             waits for GET /healthz == 200 (or fails)
#   ve_srv_stop                        ends that process group (idempotent)
#   ve_srv_free_port                   prints a free TCP port on 127.0.0.1
#   ve_srv_build LOG                   runs tools/build first (unbounded, unlike
#                                      the /healthz wait); E2E_BUILD=0 skips it
#                                      (tools/test has just built)
#
# How the server is started (E2E_SERVER):
#   tools-dev  `tools/dev` with PORT=<port> VE_STATE_DIR=<dir>; tools/dev must
#              pass VE_STATE_DIR to wrangler as `--persist-to` (for both
#              `d1 migrations apply --local` and `dev`), so the developer's
#              .wrangler/state is never touched.
#   direct     tests/e2e/lib/direct-dev.sh: the same wrangler commands, run
#              directly (for when tools/dev is missing or predates VE_STATE_DIR).
#   auto       (default) tools-dev when tools/dev exists and mentions
#              VE_STATE_DIR, otherwise direct.
# Requires VE_ROOT (the repository root).

VE_SRV_PGID=""
VE_SRV_LOG=""
VE_SRV_URL=""

ve_srv_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

ve_srv_build() {
  local log="$1" started=$SECONDS
  [[ "${E2E_BUILD:-1}" != 0 && -x "$VE_ROOT/tools/build" ]] || return 0
  printf '==> tools/build (E2E_BUILD=0 skips it), log %s\n' "$log" >&2
  if ! (cd "$VE_ROOT" && "$VE_ROOT/tools/build") </dev/null >"$log" 2>&1; then
    printf '\nFAIL: tools/build failed. Last lines of %s:\n' "$log" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
  printf '==> built in %ss\n' "$((SECONDS - started))" >&2
}

ve_srv_mode() {
  local mode="${E2E_SERVER:-auto}"
  if [[ "$mode" == auto ]]; then
    if [[ -x "$VE_ROOT/tools/dev" ]] && grep -q 'VE_STATE_DIR' "$VE_ROOT/tools/dev"; then
      mode=tools-dev
    else
      mode=direct
    fi
  fi
  printf '%s\n' "$mode"
}

ve_srv_start() {
  local state="$1" port="$2" log="$3" mode cmd
  mode="$(ve_srv_mode)"
  case "$mode" in
    tools-dev) cmd=("$VE_ROOT/tools/dev") ;;
    direct)
      printf '==> note: starting the server with tests/e2e/lib/direct-dev.sh (tools/dev %s)\n' \
        "$([[ -x "$VE_ROOT/tools/dev" ]] && echo 'does not honour VE_STATE_DIR yet' || echo 'is missing')" >&2
      cmd=("$VE_ROOT/tests/e2e/lib/direct-dev.sh") ;;
    *) printf 'E2E_SERVER must be auto, tools-dev or direct (got %s)\n' "$mode" >&2; return 2 ;;
  esac
  mkdir -p "$state"
  printf '==> server: %s (PORT=%s, state %s, log %s)\n' "${cmd[*]#"$VE_ROOT/"}" "$port" "$state" "$log" >&2
  VE_STATE_DIR="$state" ve_srv_launch "$port" "$log" "$VE_ROOT" "${cmd[@]}"
}

ve_srv_launch() {
  local port="$1" log="$2" dir="$3"
  shift 3
  VE_SRV_LOG="$log"
  VE_SRV_URL="http://127.0.0.1:$port"
  # setsid: own process group, so stopping it also ends wrangler and workerd.
  (cd "$dir" && PORT="$port" CI=1 \
     WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
     exec setsid "$@" </dev/null >"$log" 2>&1) &
  VE_SRV_PGID=$!   # setsid execs in place, so this pid leads the new group
}

ve_srv_alive() {
  [[ -n "$VE_SRV_PGID" ]] && kill -0 "$VE_SRV_PGID" 2>/dev/null
}

ve_srv_wait() {
  local timeout="$1" deadline code
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if ! ve_srv_alive; then
      printf '\nFAIL: the dev server exited before answering /healthz. Last lines of %s:\n' "$VE_SRV_LOG" >&2
      tail -n 40 "$VE_SRV_LOG" >&2
      return 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$VE_SRV_URL/healthz" 2>/dev/null || true)"
    [[ "$code" == 200 ]] && return 0
    sleep 0.5
  done
  printf '\nFAIL: no 200 from %s/healthz within %ss (last status %s). Last lines of %s:\n' \
    "$VE_SRV_URL" "$timeout" "${code:-none}" "$VE_SRV_LOG" >&2
  tail -n 40 "$VE_SRV_LOG" >&2
  return 1
}

ve_srv_stop() {
  [[ -n "$VE_SRV_PGID" ]] || return 0
  local pg="$VE_SRV_PGID" i
  VE_SRV_PGID=""
  kill -TERM -- "-$pg" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 -- "-$pg" 2>/dev/null || { wait "$pg" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL -- "-$pg" 2>/dev/null
  wait "$pg" 2>/dev/null
  return 0
}
