#!/usr/bin/env bash
# Builds nektos/act (a re-implementation of the GitHub Actions runner; test/e2e-act runs the
# workflow recipes through it) from the Go module proxy into $DOCKRION_CI_CACHE/tools/act-v<version>/
# and prints the binary's path on stdout. Cached and idempotent: a second run only checks the
# version. The Go build cache ($GOCACHE, default ~/.cache/go-build) makes a rebuild quick.
#   act.sh            install (if needed) and print the path
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

version=${DOCKRION_ACT_VERSION:-0.2.89}
tools="$DOCKRION_CI_CACHE/tools"
dest="$tools/act-v$version"

installed() { [[ -x $dest/act ]] && [[ "$("$dest/act" --version 2>/dev/null)" == "act version $version" ]]; }

install() {
  installed && return 0
  local go=go
  command -v go >/dev/null || go=/usr/local/go/bin/go
  [[ -x $(command -v "$go") ]] || ci_die "Go is needed to build act v$version (go install from the module proxy)"
  ci_log "building act v$version with $("$go" version)"
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial"
  # GOFLAGS=-buildvcs=false: the build runs outside any VCS checkout of act.
  GOBIN="$dest.partial" GOFLAGS=-buildvcs=false "$go" install "github.com/nektos/act@v$version" >&2
  [[ "$("$dest.partial/act" --version)" == "act version $version" ]] || ci_die "built act does not report $version"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  ci_log "act v$version installed in $dest"
}

mkdir -p "$tools"
ci_with_lock "$tools/.act.lock" 1800 install
echo "$dest/act"
