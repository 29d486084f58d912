#!/usr/bin/env bash
# Starts/stops the Docker engine (Debian docker.io's dockerd) in the background, no init system
# needed. Default socket /var/run/docker.sock, data root /var/lib/docker, storage driver overlay2
# (vfs only when the kernel cannot mount overlayfs), default bridge networking with iptables (nft).
# Log: $DOCKRION_CI_STATE/dockerd.log. Idempotent: reuses a daemon that already answers.
# start/stop are serialized with a lock, so concurrent callers never start two daemons or kill
# each other's.
#   dockerd.sh start | stop | status
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

pidfile="$DOCKRION_CI_STATE/dockerd.pid"        # pid of the dockerd this script launched
logfile="$DOCKRION_CI_STATE/dockerd.log"
lockfile="$DOCKRION_CI_STATE/dockerd.lock"
START_TIMEOUT=${DOCKRION_DOCKERD_TIMEOUT:-60}

answers() { timeout 10 docker info >/dev/null 2>&1; }

# Is PID a live dockerd? (guards against a stale pid file naming a recycled pid)
is_dockerd() { [[ -n ${1:-} ]] && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == dockerd ]]; }

# overlay2 needs overlayfs mountable on the data root's filesystem; probe it directly.
overlay_works() {
  local d rc=1
  mkdir -p /var/lib/docker
  d=$(mktemp -d /var/lib/docker/.overlay-probe.XXXXXX)
  mkdir -p "$d/l" "$d/u" "$d/w" "$d/m"
  if mount -t overlay overlay -o "lowerdir=$d/l,upperdir=$d/u,workdir=$d/w" "$d/m" 2>/dev/null; then
    umount "$d/m"; rc=0
  fi
  rm -rf "$d"
  return "$rc"
}

stop_pid() { ci_stop_pid "$1" 60 0.5; }

# A tiny build through the daemon's BuildKit. After a crash or a storage-driver change the build
# cache can name layers that no longer exist ("stat /var/lib/docker/overlay2/...: no such file");
# the cure is to drop the build cache.
buildkit_sane() {
  local d rc=0
  d=$(mktemp -d)
  printf 'probe\n' >"$d/f"
  printf 'FROM scratch\nCOPY f /f\n' >"$d/Dockerfile"
  timeout 60 docker buildx build -q --output type=cacheonly "$d" >/dev/null 2>"$d/err" || rc=$?
  ((rc == 0)) || ci_log "probe build failed: $(tail -1 "$d/err")"
  rm -rf "$d"
  return "$rc"
}

check_buildkit() {
  if ! buildkit_sane; then
    ci_log "dropping the BuildKit cache (docker builder prune -af) and retrying"
    docker builder prune -af >/dev/null 2>&1 || true
    buildkit_sane || ci_die "docker buildx build does not work; see $logfile"
  fi
}

start() {
  ci_require_root
  if answers; then ci_log "dockerd already answers"; check_buildkit; return 0; fi
  command -v dockerd >/dev/null || ci_die "dockerd not installed (run scripts/ci/install.sh)"
  if is_dockerd "$(cat "$pidfile" 2>/dev/null)"; then
    ci_die "dockerd (pid $(cat "$pidfile")) is running but does not answer; see $logfile"
  fi
  # Bridge netfilter is needed for published ports (-p) between containers and the host.
  modprobe br_netfilter 2>/dev/null || true
  local driver=overlay2
  overlay_works || { driver=vfs; ci_log "overlayfs cannot be mounted here: using the vfs storage driver (slow)"; }
  ci_log "starting dockerd (storage $driver, log $logfile)"
  # --pidfile in our state dir: dockerd refuses to start while /var/run/docker.pid names a live process.
  setsid dockerd --pidfile "$DOCKRION_CI_STATE/dockerd.own.pid" --storage-driver "$driver" \
    >>"$logfile" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$pidfile"
  local deadline=$(( $(date +%s) + START_TIMEOUT ))
  until answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -30 "$logfile" >&2; rm -f "$pidfile"; ci_die "dockerd exited during start-up"
    fi
    if (( $(date +%s) >= deadline )); then
      tail -30 "$logfile" >&2; stop_pid "$pid"; rm -f "$pidfile"
      ci_die "dockerd did not answer within ${START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  ci_log "dockerd up: $(docker info --format 'server {{.ServerVersion}}, storage {{.Driver}}, cgroup v{{.CgroupVersion}}')"
  check_buildkit
}

stop() { ci_stop_pidfile "$pidfile" is_dockerd dockerd 60 0.5; }

mkdir -p "$DOCKRION_CI_STATE"
ci_service_main "$lockfile" 120 answers "$@"
