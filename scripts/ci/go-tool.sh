#!/usr/bin/env bash
# Builds a Go tool from the Go module proxy into the tool cache, once: later runs on the same
# machine reuse the binary (idempotent; a stamp file records what was built).
#   scripts/ci/go-tool.sh NAME PACKAGE@VERSION [--print]
# e.g. go-tool.sh sops github.com/getsops/sops/v3/cmd/sops@v3.11.0 → $DOCKRION_CI_CACHE/tools/sops/sops
# A prebuilt binary without a stamp is adopted when `NAME --version` names VERSION.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# The Go toolchain of this machine kind lives in /usr/local/go; a CI shell may not have it on PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then PATH="$PATH:/usr/local/go/bin"; fi
name=${1:?usage: go-tool.sh NAME PACKAGE@VERSION}
spec=${2:?usage: go-tool.sh NAME PACKAGE@VERSION}
version=${spec##*@}
dir="$DOCKRION_CI_CACHE/tools/$name"
bin="$dir/$name"
stamp="$dir/.dockrion-stamp"
if [[ -x $bin && -f $stamp && "$(cat "$stamp")" == "$spec" ]]; then
  ci_log "$name $version already built ($bin)"
elif [[ -x $bin && ! -f $stamp ]] && "$bin" --version 2>&1 | grep -qF "${version#v}"; then
  echo "$spec" >"$stamp"
  ci_log "$name $version found prebuilt ($bin)"
else
  command -v go >/dev/null || ci_die "go is needed to build $name ($spec)"
  mkdir -p "$dir"
  ci_log "building $spec (go $(go env GOVERSION))"
  rm -f "$stamp"
  GOBIN="$dir" GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install "$spec"
  echo "$spec" >"$stamp"
fi
if [[ ${3:-} == --print ]]; then echo "$bin"; fi
