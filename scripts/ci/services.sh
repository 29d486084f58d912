#!/usr/bin/env bash
# Starts every service the test suite needs and writes their coordinates to $DOCKRION_CI_ENV_FILE
# (default /tmp/dockrion-ci.env) as `export` lines, also printed on stdout. Shared by .ci/run and
# scripts/dev-services.sh. Idempotent. Assumes scripts/ci/install.sh has run. Needs root.
#   services.sh start | stop
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

start() {
  ci_stage "dockerd start" bash "$here/dockerd.sh" start
  ci_stage "registry start" bash "$here/registry.sh" start
  # Housekeeping on machines that are kept between runs: bound the build cache (prunes only what is
  # not in use, and only above the limit) and drop dangling images.
  docker builder prune -f --keep-storage "${DOCKRION_BUILD_CACHE_LIMIT:-20gb}" >/dev/null 2>&1 || true
  docker image prune -f >/dev/null 2>&1 || true
  local base base_out
  base_out=$(mktemp)
  ci_stage "base image" bash -c "bash '$root/scripts/base-image/build.sh' >'$base_out'"
  base=$(tail -n1 "$base_out"); rm -f "$base_out"
  [[ -n $base ]] || ci_die "base image build printed no reference"
  # DOCKRION_SKIP_PYTHON=1: the caller makes .venv itself as a non-root user (GitHub workflow).
  if [[ ${DOCKRION_SKIP_PYTHON:-0} != 1 ]]; then
    ci_stage "python venv" bash "$root/scripts/setup-python.sh"
  fi

  local tmp="$DOCKRION_CI_ENV_FILE.tmp.$$"
  {
    echo "# written by scripts/ci/services.sh at $(date -u +%FT%TZ); source it"
    echo "export DOCKRION_TEST_REGISTRY=$DOCKRION_REGISTRY_ADDR"
    echo "export DOCKRION_TEST_BASE_IMAGE=$base"
    echo "export DOCKRION_PYTHON=$root/.venv/bin/python"
    if [[ -n ${DOCKER_HOST:-} ]]; then echo "export DOCKER_HOST=$DOCKER_HOST"; fi
  } >"$tmp"
  mv "$tmp" "$DOCKRION_CI_ENV_FILE"
  ci_log "environment written to $DOCKRION_CI_ENV_FILE"
  grep '^export' "$DOCKRION_CI_ENV_FILE"
}

stop() {
  bash "$here/registry.sh" stop || true
  bash "$here/dockerd.sh" stop || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
