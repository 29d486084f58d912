#!/usr/bin/env bash
# Builds the test base image (docs/CONTRACTS.md "Test infrastructure"): a debootstrapped Debian bookworm (variant minbase) with
# python3 + venv + pip + ca-certificates, `docker import`ed as dockrion/test-base:<hash>, where
# <hash> covers packages.txt, this script, trim-rootfs.sh, extra-cas.py and the suite. Prints the
# image reference on stdout.
#
# Cache: the root filesystem tarball is kept under $DOCKRION_CI_CACHE/base-image/<hash>.tar.gz;
# if the image with that tag is already loaded in dockerd nothing is done at all. Neither the
# cache nor the image need exist: the script rebuilds from the Debian mirror.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../ci/lib.sh
. "$here/../ci/lib.sh"
# shellcheck source=trim-rootfs.sh
. "$here/trim-rootfs.sh"
ci_require_root

SUITE=${DOCKRION_BASE_SUITE:-bookworm}
MIRROR=${DOCKRION_BASE_MIRROR:-http://deb.debian.org/debian}
REPO=dockrion/test-base

mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$here/packages.txt" | tr -d ' ')
# The host's CA bundle: here a TLS-intercepting proxy sits between us and PyPI, and its CA is in the
# host bundle. Builds FROM this image must trust what the host trusts, so its certificates that
# Debian's ca-certificates lacks are added to the image (and are part of the hash).
HOST_CA_BUNDLE=${DOCKRION_HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
host_ca_sum=none
if [[ -s $HOST_CA_BUNDLE ]]; then host_ca_sum=$(sha256sum "$HOST_CA_BUNDLE" | cut -d' ' -f1); fi
hash=$( { echo "$SUITE $MIRROR $host_ca_sum"; printf '%s\n' "${pkgs[@]}"; cat "$here/build.sh" "$here/extra-cas.py" "$here/trim-rootfs.sh"; } | sha256sum | cut -c1-16)
ref="$REPO:$hash"

if docker image inspect "$ref" >/dev/null 2>&1; then
  ci_log "base image $ref already present"
  echo "$ref"; exit 0
fi
# One build at a time (concurrent dev-services/.ci/run calls); the winner's image serves the rest.
mkdir -p "$DOCKRION_CI_STATE"
exec 9>"$DOCKRION_CI_STATE/base-image.lock"
flock -w 900 9 || ci_die "could not lock $DOCKRION_CI_STATE/base-image.lock"
if docker image inspect "$ref" >/dev/null 2>&1; then
  ci_log "base image $ref already present"
  echo "$ref"; exit 0
fi

cache_dir="$DOCKRION_CI_CACHE/base-image"
tarball="$cache_dir/$hash.tar.gz"
mkdir -p "$cache_dir"

if [[ ! -s $tarball ]]; then
  command -v debootstrap >/dev/null || ci_die "debootstrap not installed (run scripts/ci/install.sh)"
  rootfs=$(mktemp -d /var/tmp/dockrion-rootfs.XXXXXX)
  # mktemp makes it 0700, and that mode becomes the image's "/": non-root users (the runtime runs as
  # uid 10001) could then not exec anything.
  chmod 0755 "$rootfs"
  cleanup() { 
    # debootstrap may leave proc/sys mounted inside the rootfs when it fails
    for m in proc sys dev/pts dev; do mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m" || true; done
    rm -rf --one-file-system "$rootfs"
  }
  trap cleanup EXIT
  ci_log "debootstrap $SUITE (minbase) + ${pkgs[*]} into $rootfs"
  t0=$(date +%s)
  debootstrap --variant=minbase --include="$(IFS=,; echo "${pkgs[*]}")" \
    "$SUITE" "$rootfs" "$MIRROR" >"$cache_dir/$hash.debootstrap.log" 2>&1 \
    || { tail -30 "$cache_dir/$hash.debootstrap.log" >&2; ci_die "debootstrap failed"; }
  ci_log "debootstrap took $(( $(date +%s) - t0 ))s"

  # apt sources for builds that install system packages (lists are stripped below).
  cat >"$rootfs/etc/apt/sources.list" <<SRC
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
SRC
  if [[ -s $HOST_CA_BUNDLE ]]; then
    n=$(python3 "$here/extra-cas.py" "$HOST_CA_BUNDLE" "$rootfs/etc/ssl/certs/ca-certificates.crt" \
          "$rootfs/usr/local/share/ca-certificates")
    ci_log "added $n host CA certificate(s) missing from Debian's bundle"
    if [[ $n != 0 ]]; then chroot "$rootfs" update-ca-certificates >/dev/null 2>&1; fi
  fi
  # Keep the image small, and keep the builder's machine-id/resolv.conf/hostname out of it.
  trim_rootfs "$rootfs"

  ci_log "packing rootfs ($(du -sh --one-file-system "$rootfs" | cut -f1))"
  tmp_tar="$tarball.tmp.$$"
  tar --numeric-owner --xattrs --one-file-system -C "$rootfs" -czf "$tmp_tar" .
  mv "$tmp_tar" "$tarball"
  cleanup; trap - EXIT
else
  ci_log "using cached rootfs $tarball"
fi

ci_log "docker import $tarball as $ref"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' \
  --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["/bin/bash"]' \
  --change "LABEL dev.dockrion.test-base=$hash" \
  --message "dockrion test base ($SUITE minbase: ${pkgs[*]})" \
  "$tarball" "$ref" >/dev/null
# Keep only a bounded number of old tarballs in the cache.
ls -1t "$cache_dir"/*.tar.gz 2>/dev/null | tail -n +4 | xargs -r rm -f
echo "$ref"
