#!/usr/bin/env bash
# Creates/updates .venv/ for the Python side of the tests (runtime package + moto server).
# Idempotent: re-installs only when runtime/pyproject.toml (or this script) changed — a hash
# stamp is kept in .venv/.dockrion-stamp. Prints nothing on stdout except with --print-python.
#   scripts/setup-python.sh [--print-python]
# Env: DOCKRION_PYTHON_BASE  interpreter that creates the venv (default: python3)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
venv="$root/.venv"
stamp="$venv/.dockrion-stamp"
base_python=${DOCKRION_PYTHON_BASE:-python3}
log() { printf '[setup-python] %s\n' "$*" >&2; }

# Always wanted, whatever the runtime declares.
common=('moto[server]' pytest httpx ruff mypy 'kubernetes-validate==1.37.0' 'check-jsonschema==0.39.0')
if [[ -f runtime/pyproject.toml ]]; then
  want=$( { cat runtime/pyproject.toml; cat "$0"; } | sha256sum | cut -d' ' -f1)
  spec=(-e './runtime[langgraph,langchain,test]' "${common[@]}")
else
  log "runtime/pyproject.toml not found yet: installing only ${common[*]}"
  want=$( { echo no-runtime; cat "$0"; } | sha256sum | cut -d' ' -f1)
  spec=("${common[@]}")
fi

if [[ -x $venv/bin/python ]] && ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  log "existing .venv is broken; recreating"; rm -rf "$venv"
fi
if [[ ! -x $venv/bin/python ]]; then
  log "creating .venv with $($base_python --version 2>&1)"
  "$base_python" -m venv "$venv"
fi

if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  log ".venv up to date"
else
  rm -f "$stamp"
  log "pip install ${spec[*]}"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  PIP_PROGRESS_BAR=off "$venv/bin/python" -m pip install -q --disable-pip-version-check "${spec[@]}"
  echo "$want" >"$stamp"
fi
if [[ ${1:-} == --print-python ]]; then echo "$venv/bin/python"; fi
