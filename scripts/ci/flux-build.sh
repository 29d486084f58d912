#!/usr/bin/env bash
# Builds scripts/ci/flux-build (Flux's kustomize build: fluxcd/pkg/kustomize NewGenerator +
# SecureBuild) into $DOCKRION_CI_CACHE/tools/flux-build/flux-build, once per source hash.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# The Go toolchain of this machine kind lives in /usr/local/go; a CI shell may not have it on PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then PATH="$PATH:/usr/local/go/bin"; fi
src="$here/flux-build"
dir="$DOCKRION_CI_CACHE/tools/flux-build"
bin="$dir/flux-build"
want=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -d' ' -f1)
if [[ -x $bin && -f $dir/.dockrion-stamp && "$(cat "$dir/.dockrion-stamp")" == "$want" ]]; then
  ci_log "flux-build already built ($bin)"
  exit 0
fi
command -v go >/dev/null || ci_die "go is needed to build flux-build"
mkdir -p "$dir"
rm -f "$dir/.dockrion-stamp"
ci_log "building flux-build (fluxcd/pkg/kustomize, go $(go env GOVERSION))"
(cd "$src" && GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" .)
mv "$bin.tmp" "$bin"
echo "$want" >"$dir/.dockrion-stamp"
