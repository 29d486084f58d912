#!/usr/bin/env bash
# The one test command (README): TypeScript suites, then the runtime's pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh >&2
export DOCKRION_PYTHON="${DOCKRION_PYTHON:-$PWD/.venv/bin/python}"

status=0
npx vitest run "$@" || status=$?
if [ "$#" -eq 0 ]; then
  "$DOCKRION_PYTHON" -m pytest -q runtime/tests || status=$?
fi
exit "$status"
