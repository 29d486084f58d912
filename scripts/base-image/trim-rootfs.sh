# shellcheck shell=bash
# trim_rootfs DIR: what the test base drops from a debootstrapped root filesystem before it is
# packed: apt lists and caches, docs, man pages, locales and bytecode (size), and the host's
# machine-id, resolv.conf and hostname (docker bind-mounts its own). Used by build.sh (amd64) and
# scripts/ci/buildkit.sh (arm64), and part of both images' cache hashes. Source it; do not run it.
trim_rootfs() {
  local rootfs=$1
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
         "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
         "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/var/cache/debconf/*-old \
         "$rootfs"/tmp/* "$rootfs"/root/.cache
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  find "$rootfs/usr/lib" -name '__pycache__' -type d -prune -exec rm -rf {} + 2>/dev/null || true
  : >"$rootfs/etc/machine-id"
  : >"$rootfs/etc/resolv.conf"
  echo localhost >"$rootfs/etc/hostname"
}
