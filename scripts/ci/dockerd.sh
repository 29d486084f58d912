#!/usr/bin/env bash
# Starts/stops the Docker engine (Debian docker.io's dockerd) in the background, no init system
# needed. Default socket /var/run/docker.sock, storage driver overlay2 (falls back to vfs when
# the kernel/filesystem can't do overlay), default bridge networking with iptables (nft backend).
# Log: $DOCKRION_CI_STATE/dockerd.log. Idempotent: reuses a daemon that already answers.
#   dockerd.sh start | stop | status
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

pidfile="$DOCKRION_CI_STATE/dockerd.pid"
logfile="$DOCKRION_CI_STATE/dockerd.log"
START_TIMEOUT=${DOCKRION_DOCKERD_TIMEOUT:-60}

answers() { timeout 10 docker info >/dev/null 2>&1; }

launch() { # extra dockerd args...
  # --pidfile in our state dir: dockerd refuses to start if /var/run/docker.pid names a live process.
  setsid dockerd --pidfile "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile.launcher"
  if ci_wait_for "$START_TIMEOUT" "dockerd (docker info)" answers; then return 0; fi
  stop_pid "$(cat "$pidfile.launcher")"
  return 1
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}

start() {
  ci_require_root
  if answers; then ci_log "dockerd already answers"; return 0; fi
  command -v dockerd >/dev/null || ci_die "dockerd not installed (run scripts/ci/install.sh)"
  mkdir -p "$DOCKRION_CI_STATE"
  # Bridge netfilter is needed for published ports (-p) between containers and the host.
  modprobe br_netfilter 2>/dev/null || true
  ci_log "starting dockerd (log $logfile)"
  : >>"$logfile"
  if launch --storage-driver overlay2; then :; else
    ci_log "dockerd with overlay2 did not come up; retrying with vfs"
    tail -20 "$logfile" >&2
    launch --storage-driver vfs || { tail -40 "$logfile" >&2; ci_die "dockerd failed to start"; }
  fi
  ci_log "dockerd up: $(docker info --format 'server {{.ServerVersion}}, storage {{.Driver}}, cgroup v{{.CgroupVersion}}')"
}

stop() {
  local f pid
  for f in "$pidfile.launcher" "$pidfile"; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then ci_log "stopping dockerd (pid $pid)"; stop_pid "$pid"; fi
    rm -f "$f"
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) answers ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
