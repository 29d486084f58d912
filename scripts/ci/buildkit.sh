#!/usr/bin/env bash
# A real BuildKit daemon for the image tests that buildx's `docker` driver cannot run: provenance
# and SBOM attestations, multi-platform builds (arm64 under QEMU) and registry cache export
# (test/image/buildkit.integration.test.ts). buildkitd + buildctl are built from source through the
# Go module proxy into a cache outside the checkout; the daemon (OCI worker, Debian's runc) runs on
# its own socket and state directory, and buildx reaches it as a `remote` builder named
# $DOCKRION_BUILDKIT_BUILDER (never made the default builder). Idempotent.
#   buildkit.sh build   build buildkitd/buildctl once (cold: 10-20 min on 2 cores; a relink from a
#                       warm Go cache: ~1 min) and the arm64 root filesystem of the test base (cold:
#                       a few minutes under QEMU), then print the buildctl path
#   buildkit.sh path    print the cached buildctl's path; fail when it is not built
#   buildkit.sh start   start buildkitd, create the buildx builder, push the test base image for
#                       linux/amd64 and linux/arm64 to the test registry, record all of it in
#                       $DOCKRION_CI_ENV_FILE (DOCKRION_TEST_BUILDKIT_*)
#   buildkit.sh stop | status
#
# Why it is built this way:
# - `go install github.com/moby/buildkit/cmd/buildkitd@vX` is refused: buildkit's go.mod has
#   `exclude` directives. A throw-away wrapper module requires buildkit and repeats them, so the
#   dependency versions are exactly upstream's.
# - BuildKit pulls FROM images itself: the base must be in a registry it can reach. The test
#   registry speaks plain HTTP, which buildkitd.toml allows for it. docker.io names are mirrored to
#   it too, so Hub-named images resolve when someone pushed them there.
# - The test base is a debootstrapped Debian (scripts/base-image/build.sh) for amd64 only; for the
#   multi-platform tests the same packages are debootstrapped for arm64 under qemu-user-static
#   (binfmt_misc with the F flag, so the interpreter also works inside build containers), and both
#   root filesystems become one image index in the registry.
# Needs: root, go >= 1.26 (buildkit v0.34), the Go module proxy, a Debian mirror, ~2 GB of Go caches.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=../base-image/trim-rootfs.sh
. "$root/scripts/base-image/trim-rootfs.sh"

BUILDKIT_VERSION=v0.34.2
cache_dir="${DOCKRION_BUILDKIT_CACHE:-$DOCKRION_CI_CACHE/tools/buildkit-$BUILDKIT_VERSION}"
buildkitd="$cache_dir/buildkitd"
buildctl="$cache_dir/buildctl"
builder="${DOCKRION_BUILDKIT_BUILDER:-dockrion-ci-buildkit}"

state="$DOCKRION_CI_STATE/buildkit"
run_dir=/run/dockrion-ci-buildkit                  # the socket (a tmpfs: gone after a reboot)
sock="unix://$run_dir/buildkitd.sock"
pidfile="$state/buildkitd.pid"
logfile="$state/buildkitd.log"
config="$state/buildkitd.toml"
lockfile="$DOCKRION_CI_STATE/buildkit.lock"
root_dir="$state/root"                             # buildkitd's own state and build cache

base_dir="$DOCKRION_CI_CACHE/base-image"
SUITE=${DOCKRION_BASE_SUITE:-bookworm}
MIRROR=${DOCKRION_BASE_MIRROR:-http://deb.debian.org/debian}
HOST_CA_BUNDLE=${DOCKRION_HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

bctl() { "$buildctl" --addr "$sock" "$@"; }
built() { [[ -x $buildkitd && -x $buildctl ]] && "$buildkitd" --version 2>/dev/null | grep -q " $BUILDKIT_VERSION "; }
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

build_binaries() {
  if built; then return 0; fi
  command -v go >/dev/null || ci_die "go is not installed (buildkit $BUILDKIT_VERSION is built from source with go >= 1.26)"
  local gover
  gover=$(go env GOVERSION)
  [[ $gover =~ ^go1\.([0-9]+) ]] && ((BASH_REMATCH[1] >= 26)) ||
    ci_die "go >= 1.26 is needed to build buildkit $BUILDKIT_VERSION (found $gover)"
  mkdir -p "$cache_dir"
  exec 8>"$cache_dir/.build.lock"
  flock -w 3600 8 || ci_die "could not lock $cache_dir/.build.lock"
  if built; then return 0; fi
  local work t0 mod
  t0=$(date +%s)
  work=$(mktemp -d /tmp/dockrion-buildkit-build.XXXXXX)
  # shellcheck disable=SC2064 # expand $work now
  trap "rm -rf '$work'" EXIT
  cd "$work"
  export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
  ci_log "buildkit: resolving modules for $BUILDKIT_VERSION"
  go mod download "github.com/moby/buildkit@$BUILDKIT_VERSION"
  mod="$(go env GOMODCACHE)/cache/download/github.com/moby/buildkit/@v/$BUILDKIT_VERSION.mod"
  printf 'module dockrion-buildkit-build\n\ngo 1.26\n\n' >go.mod
  # buildkit's exclude blocks and lines, verbatim.
  awk '/^exclude \(/{b=1} b{print} b&&/^\)/{b=0;next} /^exclude [^(]/{print}' "$mod" >>go.mod
  go get "github.com/moby/buildkit/cmd/buildkitd@$BUILDKIT_VERSION" "github.com/moby/buildkit/cmd/buildctl@$BUILDKIT_VERSION" >get.log 2>&1 ||
    { tail -20 get.log >&2; ci_die "go get buildkit $BUILDKIT_VERSION failed"; }
  ci_log "buildkit: compiling (cold: 10-20 min; with a warm Go build cache: about a minute)"
  mkdir -p out
  go build -trimpath -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" \
    -o out/ github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl
  mv -f out/buildctl "$buildctl"
  mv -f out/buildkitd "$buildkitd"
  cd "$root"; rm -rf "$work"; trap - EXIT
  ci_log "buildkit: built $("$buildkitd" --version) in $(($(date +%s) - t0))s"
}

# qemu user emulation for arm64 RUN steps. Debian registers qemu with the F (fix-binary) flag, so
# the interpreter is opened once and also works inside the build containers' mount namespaces.
ensure_binfmt() {
  if [[ ! -e /usr/share/binfmts/qemu-aarch64 ]] || ! command -v update-binfmts >/dev/null; then
    ci_log "installing qemu-user-static and binfmt-support"
    apt_install qemu-user-static binfmt-support
  fi
  [[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
    update-binfmts --enable qemu-aarch64 || ci_die "cannot register qemu-aarch64 with binfmt_misc"
  fi
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
    ci_die "qemu-aarch64 is registered without the F flag: it cannot run inside build containers"
}

# The arm64 root filesystem of the test base: the packages of scripts/base-image/packages.txt,
# debootstrapped under QEMU, trimmed by trim_rootfs (scripts/base-image/trim-rootfs.sh) as build.sh
# trims the amd64 one. Cached by content.
arm64_rootfs() {
  local pkgs hash tarball rootfs host_ca_sum=none t0 n
  mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$root/scripts/base-image/packages.txt" | tr -d ' ')
  [[ -s $HOST_CA_BUNDLE ]] && host_ca_sum=$(sha256sum "$HOST_CA_BUNDLE" | cut -d' ' -f1)
  hash=$( { echo "arm64 $SUITE $MIRROR $host_ca_sum"; printf '%s\n' "${pkgs[@]}"; cat "$root/scripts/base-image/extra-cas.py" "$root/scripts/base-image/trim-rootfs.sh"; sed -n '/^arm64_rootfs()/,/^}/p' "$self"; } | sha256sum | cut -c1-16)
  tarball="$base_dir/arm64-$hash.tar.gz"
  if [[ -s $tarball ]]; then echo "$tarball"; return 0; fi
  command -v debootstrap >/dev/null || ci_die "debootstrap not installed (run scripts/ci/install.sh)"
  ensure_binfmt
  mkdir -p "$base_dir"
  rootfs=$(mktemp -d /var/tmp/dockrion-rootfs-arm64.XXXXXX)
  chmod 0755 "$rootfs"
  # shellcheck disable=SC2064 # expand $rootfs now
  trap "for m in proc sys dev/pts dev; do mountpoint -q '$rootfs/'\$m 2>/dev/null && umount -l '$rootfs/'\$m || true; done; rm -rf --one-file-system '$rootfs'" EXIT
  ci_log "debootstrap --arch arm64 $SUITE (minbase) + ${pkgs[*]} under QEMU (first time only: minutes)"
  t0=$(date +%s)
  debootstrap --arch=arm64 --variant=minbase --include="$(IFS=,; echo "${pkgs[*]}")" \
    "$SUITE" "$rootfs" "$MIRROR" >"$base_dir/arm64-$hash.debootstrap.log" 2>&1 ||
    { tail -30 "$base_dir/arm64-$hash.debootstrap.log" >&2; ci_die "debootstrap --arch arm64 failed"; }
  ci_log "debootstrap arm64 took $(($(date +%s) - t0))s"
  if [[ -s $HOST_CA_BUNDLE ]]; then
    n=$(python3 "$root/scripts/base-image/extra-cas.py" "$HOST_CA_BUNDLE" "$rootfs/etc/ssl/certs/ca-certificates.crt" \
          "$rootfs/usr/local/share/ca-certificates")
    [[ $n != 0 ]] && chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  trim_rootfs "$rootfs"
  tar --numeric-owner --xattrs --one-file-system -C "$rootfs" -czf "$tarball.tmp.$$" .
  mv "$tarball.tmp.$$" "$tarball"
  for m in proc sys dev/pts dev; do mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m" || true; done
  rm -rf --one-file-system "$rootfs"; trap - EXIT
  ls -1t "$base_dir"/arm64-*.tar.gz 2>/dev/null | tail -n +3 | xargs -r rm -f
  echo "$tarball"
}

build() {
  ci_require_root
  build_binaries
  arm64_rootfs >/dev/null
  echo "$buildctl"
}

is_buildkitd() { [[ -n ${1:-} ]] && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == buildkitd ]]; }

answers() { [[ -S $run_dir/buildkitd.sock ]] && timeout 10 "$buildctl" --addr "$sock" debug workers >/dev/null 2>&1; }

builder_ok() { timeout 20 docker buildx inspect "$builder" 2>/dev/null | grep -q '^Status: *running'; }

# The daemon and its builder (start also records them in the env file each time).
status() { built && answers && builder_ok; }


write_config() {
  mkdir -p "$state" "$run_dir" "$root_dir"
  cat >"$config" <<TOML
# written by scripts/ci/buildkit.sh; edits are overwritten
root = "$root_dir"

[grpc]
  address = ["$sock"]

[worker.oci]
  enabled = true
  binary = "runc"
  gc = true
  gckeepstorage = "10GB"

[worker.containerd]
  enabled = false

# The test registry speaks plain HTTP. Hub-named images are looked up there first (no Docker Hub).
[registry."$DOCKRION_REGISTRY_ADDR"]
  http = true
  insecure = true

[registry."docker.io"]
  mirrors = ["$DOCKRION_REGISTRY_ADDR"]
TOML
}

# Both architectures of the test base as one index in the registry: linux/amd64 from build.sh's
# rootfs (the image loaded in dockerd, exported when its tarball is no longer cached), linux/arm64
# from arm64_rootfs. ADD unpacks each tarball; there is no RUN step, so nothing is emulated.
push_base() {
  local base=${DOCKRION_TEST_BASE_IMAGE:-} hash ctx amd64 arm64 ref
  [[ -n $base ]] || ci_die "DOCKRION_TEST_BASE_IMAGE is not set (run scripts/ci/services.sh start first)"
  hash=${base##*:}
  ref="$DOCKRION_REGISTRY_ADDR/dockrion/test-base:$hash-multiarch"
  arm64=$(arm64_rootfs)
  if curl -fs -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json' \
      "http://$DOCKRION_REGISTRY_ADDR/v2/dockrion/test-base/manifests/$hash-multiarch-$(basename "$arm64" .tar.gz | cut -c7-)"; then
    echo "$ref"; return 0
  fi
  ctx=$(mktemp -d /var/tmp/dockrion-base-ctx.XXXXXX)
  amd64="$base_dir/$hash.tar.gz"
  if [[ -s $amd64 ]]; then ln "$amd64" "$ctx/rootfs-amd64.tar.gz" 2>/dev/null || cp "$amd64" "$ctx/rootfs-amd64.tar.gz"
  else
    local c; c=$(docker create "$base" /bin/true)
    docker export "$c" | gzip -1 >"$ctx/rootfs-amd64.tar.gz"; docker rm "$c" >/dev/null
  fi
  ln "$arm64" "$ctx/rootfs-arm64.tar.gz" 2>/dev/null || cp "$arm64" "$ctx/rootfs-arm64.tar.gz"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
ARG TARGETARCH
ADD rootfs-\$TARGETARCH.tar.gz /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LANG=C.UTF-8 \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \\
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \\
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
LABEL dev.dockrion.test-base=$hash
CMD ["/bin/bash"]
DOCKERFILE
  ci_log "pushing the test base for linux/amd64 and linux/arm64 as $ref"
  # The second tag names the arm64 rootfs too, so a new arm64 build is pushed again.
  bctl build --frontend dockerfile.v0 --local context="$ctx" --local dockerfile="$ctx" \
    --opt platform=linux/amd64,linux/arm64 \
    --output "type=image,\"name=$ref,$ref-$(basename "$arm64" .tar.gz | cut -c7-)\",push=true" \
    >"$state/base-push.log" 2>&1 || { tail -20 "$state/base-push.log" >&2; rm -rf "$ctx"; ci_die "pushing the multi-platform base failed"; }
  rm -rf "$ctx"
  echo "$ref"
}

# Replaces the DOCKRION_TEST_BUILDKIT_* lines of the env file that scripts/ci/services.sh writes.
write_env() {
  local base_ref=$1 tmp="$DOCKRION_CI_ENV_FILE.tmp.$$"
  { grep -v '^export DOCKRION_TEST_BUILDKIT_' "$DOCKRION_CI_ENV_FILE" 2>/dev/null || true
    echo "export DOCKRION_TEST_BUILDKIT_BUILDER=$builder"
    echo "export DOCKRION_TEST_BUILDKIT_ADDR=$sock"
    echo "export DOCKRION_TEST_BUILDKIT_BUILDCTL=$buildctl"
    echo "export DOCKRION_TEST_BUILDKIT_BASE_IMAGE=$base_ref"
  } >"$tmp"
  mv "$tmp" "$DOCKRION_CI_ENV_FILE"
  ci_log "buildkit: builder $builder ($sock) recorded in $DOCKRION_CI_ENV_FILE"
}

start() {
  ci_require_root
  built || ci_die "buildkit $BUILDKIT_VERSION is not built in $cache_dir (run: bash scripts/ci/buildkit.sh build)"
  if [[ -f $DOCKRION_CI_ENV_FILE ]]; then
    # shellcheck disable=SC1090
    . "$DOCKRION_CI_ENV_FILE"
  fi
  command -v runc >/dev/null || apt_install runc
  ensure_binfmt
  local old
  old=$(cat "$pidfile" 2>/dev/null || true)
  write_config
  if answers; then
    is_buildkitd "$old" || ci_die "a buildkitd not started by this script serves $sock; stop it first"
    ci_log "buildkitd already running (pid $old)"
  else
    if is_buildkitd "$old"; then ci_log "buildkitd (pid $old) does not answer; restarting it"; ci_stop_pid "$old" 40 0.25; fi
    rm -f "$run_dir/buildkitd.sock"
    ci_log "starting buildkitd $BUILDKIT_VERSION on $sock (log $logfile)"
    setsid "$buildkitd" --config "$config" >>"$logfile" 2>&1 </dev/null 8>&- 9>&- &
    local pid=$!
    echo "$pid" >"$pidfile"
    local deadline=$(( $(date +%s) + 60 ))
    until answers; do
      if ! kill -0 "$pid" 2>/dev/null; then tail -30 "$logfile" >&2; rm -f "$pidfile"; ci_die "buildkitd exited during start-up"; fi
      if (( $(date +%s) >= deadline )); then tail -30 "$logfile" >&2; stop; ci_die "buildkitd did not answer within 60s"; fi
      sleep 0.5
    done
  fi
  if ! docker buildx inspect "$builder" >/dev/null 2>&1; then
    docker buildx create --name "$builder" --driver remote "$sock" >/dev/null
  fi
  timeout 60 docker buildx inspect --bootstrap "$builder" >/dev/null || ci_die "buildx cannot reach $builder ($sock)"
  # A daemon busy with garbage collection after a previous run can miss one status probe: poll.
  if ! ci_wait_for 90 "buildx builder $builder to report running" builder_ok; then
    docker buildx inspect "$builder" >&2 || true
    ci_die "buildx builder $builder is not running"
  fi
  ci_log "buildkit up: $(docker buildx inspect "$builder" | grep -E '^Platforms:' | tr -s ' ')"
  local base_ref
  base_ref=$(push_base)
  write_env "$base_ref"
}

stop() {
  ci_stop_pidfile "$pidfile" is_buildkitd buildkitd 40 0.25
  rm -f "$run_dir/buildkitd.sock"
  docker buildx rm "$builder" >/dev/null 2>&1 || true
  if [[ -f $DOCKRION_CI_ENV_FILE ]] && grep -q '^export DOCKRION_TEST_BUILDKIT_' "$DOCKRION_CI_ENV_FILE"; then
    local tmp="$DOCKRION_CI_ENV_FILE.tmp.$$"
    grep -v '^export DOCKRION_TEST_BUILDKIT_' "$DOCKRION_CI_ENV_FILE" >"$tmp" || true
    mv "$tmp" "$DOCKRION_CI_ENV_FILE"
  fi
  ci_log "buildkit: kept the binaries ($cache_dir), the build cache ($root_dir) and the binfmt registration"
}

mkdir -p "$state"
case "${1:-}" in
  build) build ;;
  path) built || ci_die "buildkit $BUILDKIT_VERSION is not built in $cache_dir"; echo "$buildctl" ;;
  *) ci_service_main "$lockfile" 600 status "$@" ;;
esac
