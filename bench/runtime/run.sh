#!/usr/bin/env bash
# Runtime overhead benchmark: prints one ratio per line (details on stderr), exits 0.
#   bash bench/runtime/run.sh        (BENCH_DURATION=2s per round, BENCH_ROUNDS=8, BENCH_CONNECTIONS=32)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${DOCKRION_PYTHON:-$root/.venv/bin/python}
if ! command -v wrk >/dev/null 2>&1; then
  echo "# installing wrk (Debian package)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -qq wrk >&2 || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq wrk >&2; }
fi
"$python" -c 'import dockrion_runtime' 2>/dev/null || { echo "dockrion_runtime is not installed in $python (run scripts/setup-python.sh)" >&2; exit 1; }
exec "$python" "$here/bench.py"
