#!/usr/bin/env bash
# Developer entry point for the test infrastructure: the same install + services as .ci/run
# (it runs the very same scripts/ci/* scripts), left running afterwards. Idempotent: re-running
# only starts what is not running and rebuilds only what changed.
#   sudo bash scripts/dev-services.sh          install if needed, start, print the env
#   sudo bash scripts/dev-services.sh stop     stop Vault, dockerd and the registry
# Then either `. /tmp/dockrion-ci.env` or just run `npm test`: test/support/infra.ts reads the env
# file by itself.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=ci/lib.sh
. scripts/ci/lib.sh
ci_require_root

case "${1:-start}" in
  start)
    ci_stage "apt install" bash scripts/ci/install.sh
    bash scripts/ci/services.sh start
    # Vault is only started when it is already built: a cold build takes 20-60 min.
    if bash scripts/ci/vault.sh path >/dev/null 2>&1; then
      bash scripts/ci/vault.sh start
    else
      ci_log "vault is not built: the real-Vault tests skip (build it: sudo bash scripts/ci/vault.sh build)"
    fi
    ci_log "done; the environment is in $DOCKRION_CI_ENV_FILE (source it, or let test/support/infra.ts read it)"
    ;;
  stop) bash scripts/ci/vault.sh stop; bash scripts/ci/services.sh stop ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
