#!/usr/bin/env bash
# The one test command (README): TypeScript suites, then the runtime's pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh >&2
# dist/ is committed (`npm run check-dist` keeps it current), but the tests that run the bundle need
# it even in a tree where it was deleted, and the quick start is only `npm ci && npm test`: build it
# when missing.
if [ ! -f dist/cli.js ] || [ ! -f dist/main.js ]; then
  echo "[test] dist/ is missing: npm run build" >&2
  node scripts/build.mjs >&2
fi
export DOCKRION_PYTHON="${DOCKRION_PYTHON:-$PWD/.venv/bin/python}"

status=0
npx vitest run "$@" || status=$?
if [ "$#" -eq 0 ]; then
  "$DOCKRION_PYTHON" -m pytest -q runtime/tests || status=$?
fi
exit "$status"
