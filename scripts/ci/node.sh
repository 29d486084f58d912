#!/usr/bin/env bash
# Installs the Node.js the project runs on (Node 24, the runtime of `runs.using: node24`) into
# $DOCKRION_CI_CACHE/tools/node-<version>/ and prints its bin directory on stdout, so callers do
#   PATH="$(bash scripts/ci/node.sh):$PATH"
# The binary comes from the npm registry (the `node-linux-<arch>` package holds bin/node), fetched
# with the npm already on the machine; npm itself is a JS script and runs on the new node. Cached
# and idempotent: a second run only checks the version. Needs write access to the cache directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

version=${DOCKRION_NODE_VERSION:-24.22.3}
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) ci_die "no node-linux package for $(uname -m)" ;;
esac
tools="$DOCKRION_CI_CACHE/tools"
dest="$tools/node-$version"

installed() { [[ -x $dest/bin/node ]] && [[ "$("$dest/bin/node" --version 2>/dev/null)" == "v$version" ]]; }

install() {
  installed && return 0
  command -v npm >/dev/null || ci_die "npm is needed to fetch node-linux-$arch@$version"
  local tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  ci_log "fetching node-linux-$arch@$version from the npm registry"
  (cd "$tmp" && npm pack --silent --pack-destination "$tmp" "node-linux-$arch@$version" >/dev/null)
  tar -xzf "$tmp"/node-linux-"$arch"-"$version".tgz -C "$tmp"
  [[ "$("$tmp/package/bin/node" --version)" == "v$version" ]] || ci_die "the package's bin/node is not v$version"
  # Assemble next to the destination, then rename: a half-written install is never used.
  rm -rf "$dest.partial"
  mv "$tmp/package" "$dest.partial"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  ci_log "node v$version installed in $dest"
}

mkdir -p "$tools"
ci_with_lock "$tools/.node.lock" 600 install
echo "$dest/bin"
