#!/usr/bin/env bash
# Starts/stops the CNCF distribution registry (Debian docker-registry) on $DOCKRION_REGISTRY_ADDR
# (default 127.0.0.1:5000): no auth, deletes enabled, storage under $DOCKRION_CI_STATE/registry.
# No systemd: runs in the background with a pid file. Idempotent.
#   registry.sh start | stop | status
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

dir="$DOCKRION_CI_STATE/registry"
pidfile="$dir/registry.pid"
logfile="$dir/registry.log"
config="$dir/config.yml"

lockfile="$DOCKRION_CI_STATE/registry.lock"
is_registry() { [[ -n ${1:-} ]] && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == *registry* ]]; }

healthy() { curl -fs -o /dev/null --max-time 2 "http://$DOCKRION_REGISTRY_ADDR/v2/"; }

start() {
  if is_registry "$(cat "$pidfile" 2>/dev/null)" && healthy; then ci_log "registry already running on $DOCKRION_REGISTRY_ADDR"; return 0; fi
  if healthy; then ci_log "something already answers on $DOCKRION_REGISTRY_ADDR/v2/; using it"; return 0; fi
  local bin; bin=$(command -v docker-registry || command -v registry) || ci_die "docker-registry not installed"
  mkdir -p "$dir/storage"
  cat >"$config" <<CFG
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $DOCKRION_REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
CFG
  ci_log "starting registry on $DOCKRION_REGISTRY_ADDR (log $logfile)"
  # setsid: not in our process group, so Ctrl-C of a dev shell does not kill it.
  setsid "$bin" serve "$config" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  ci_wait_for 30 "registry on $DOCKRION_REGISTRY_ADDR" healthy || { tail -20 "$logfile" >&2; return 1; }
}

stop() { ci_stop_pidfile "$pidfile" is_registry registry 20 0.25; }

mkdir -p "$dir"
ci_service_main "$lockfile" 60 healthy "$@"
