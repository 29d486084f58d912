# shellcheck shell=bash
# Shared helpers for scripts/ci/*, scripts/dev-services.sh and .ci/run. Source it; do not run it.

DOCKRION_CI_STATE="${DOCKRION_CI_STATE:-/var/lib/dockrion-ci}"   # pid files, logs, registry storage
DOCKRION_CI_CACHE="${DOCKRION_CI_CACHE:-/var/cache/dockrion-ci}"  # content-addressed artifacts (optional)
DOCKRION_CI_ENV_FILE="${DOCKRION_CI_ENV_FILE:-/tmp/dockrion-ci.env}"
DOCKRION_REGISTRY_ADDR="${DOCKRION_REGISTRY_ADDR:-127.0.0.1:5000}"

ci_log() { printf '[dockrion-ci %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
ci_die() { ci_log "ERROR: $*"; exit 1; }

# ci_stage NAME CMD... : runs CMD with a header and its wall-clock time.
ci_stage() {
  local name=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  printf '\n===== %s =====\n' "$name" >&2
  "$@" || rc=$?
  t1=$(date +%s.%N)
  printf '===== %s: %.1fs (exit %d) =====\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$rc" >&2
  return "$rc"
}

# ci_wait_for SECONDS DESCRIPTION CMD... : polls CMD every 0.5 s until it succeeds or the time is up.
ci_wait_for() {
  local secs=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    if (( $(date +%s) >= deadline )); then
      ci_log "timed out after ${secs}s waiting for ${what}"
      return 1
    fi
    sleep 0.5
  done
}

ci_require_root() { [[ $(id -u) -eq 0 ]] || ci_die "must run as root (use sudo)"; }

ci_pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ci_stop_pid PID TRIES INTERVAL : SIGTERM, then polls TRIES times INTERVAL seconds apart; SIGKILL if still alive.
ci_stop_pid() {
  local pid=$1 tries=$2 interval=$3
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2>/dev/null || return 0; sleep "$interval"; done
  kill -9 "$pid" 2>/dev/null || true
}

# ci_stop_pidfile PIDFILE IS_FN NAME TRIES INTERVAL : stops the process PIDFILE names when IS_FN PID
# says it is still ours (a stale file can name a recycled pid), then removes PIDFILE.
ci_stop_pidfile() {
  local file=$1 is=$2 name=$3 tries=$4 interval=$5 pid
  pid=$(cat "$file" 2>/dev/null || true)
  if "$is" "$pid"; then ci_log "stopping $name (pid $pid)"; ci_stop_pid "$pid" "$tries" "$interval"; fi
  rm -f "$file"
}

# ci_with_lock LOCKFILE SECONDS CMD... : takes LOCKFILE on fd 9 (held until the script exits; children
# started in the background should close it with 9>&-), then runs CMD.
ci_with_lock() {
  local lockfile=$1 secs=$2; shift 2
  exec 9>"$lockfile"
  flock -w "$secs" 9 || ci_die "could not lock $lockfile"
  "$@"
}

# ci_service_main LOCKFILE SECONDS STATUS_FN [start|stop|status] : a service script's command line.
# start/stop run the script's own start/stop functions under LOCKFILE (waiting up to SECONDS for it).
ci_service_main() {
  local lockfile=$1 secs=$2 status=$3
  case "${4:-start}" in
    start) ci_with_lock "$lockfile" "$secs" start ;;
    stop) ci_with_lock "$lockfile" "$secs" stop ;;
    status) "$status" ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
  esac
}
