#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (DESIGN §8). Idempotent: does nothing
# when everything is already installed. Needs root. Made for Debian bookworm (this VM and CI);
# on other Debian/Ubuntu releases it installs the same tools under their local names and uses a
# docker engine that is already installed (GitHub's ubuntu runners).
#   dockerd (docker.io), containerd, runc, iptables  — the engine
#   docker-buildx, docker-compose (v2)                — CLI plugins, pinned from trixie
#   docker-registry                                    — CNCF distribution, stands in for GHCR
#   debootstrap                                        — builds the test base image
#   age, git, curl, jq, ca-certificates, xz-utils      — tools used by tests and scripts
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
ci_require_root
export DEBIAN_FRONTEND=noninteractive

. /etc/os-release
trixie_sources=/etc/apt/sources.list.d/dockrion-trixie.sources
trixie_prefs=/etc/apt/preferences.d/dockrion-trixie
write_if_changed() { # path content -> 0 when written
  if [[ ! -f $1 ]] || [[ "$(cat "$1")" != "$2" ]]; then printf '%s\n' "$2" >"$1"; return 0; fi
  return 1
}

TOOLS=(docker-registry debootstrap debian-archive-keyring age git curl jq ca-certificates xz-utils)
ENGINE=(docker.io containerd runc iptables)
# A docker engine that is already there (e.g. docker-ce on a GitHub runner) is used as it is.
if command -v dockerd >/dev/null && ! dpkg-query -W -f='${Status}' docker.io 2>/dev/null | grep -q 'ok installed'; then
  ENGINE=()
fi
have_plugins() { [[ -x /usr/libexec/docker/cli-plugins/docker-buildx || -x /usr/local/lib/docker/cli-plugins/docker-buildx || -x /usr/lib/docker/cli-plugins/docker-buildx ]] &&
                 [[ -x /usr/libexec/docker/cli-plugins/docker-compose || -x /usr/local/lib/docker/cli-plugins/docker-compose || -x /usr/lib/docker/cli-plugins/docker-compose ]]; }
changed=0
TRIXIE_PKGS=()
PKGS=("${TOOLS[@]}" "${ENGINE[@]}")
if [[ ${ID:-} == debian && ${VERSION_CODENAME:-} == bookworm ]]; then
  # Only these two come from trixie; everything else stays on bookworm (trixie pinned at 100).
  TRIXIE_PKGS=(docker-buildx docker-compose)
  write_if_changed "$trixie_sources" "Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" && changed=1
  # Low priority for all of trixie (never chosen by default, never upgrades bookworm packages);
  # 990 for the two plugins, so they come from trixie (bookworm's docker-compose is the python v1).
  write_if_changed "$trixie_prefs" "Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: docker-buildx docker-compose
Pin: release n=trixie
Pin-Priority: 990" && changed=1
elif ! have_plugins; then
  # Other Debian/Ubuntu releases carry the v2 plugins under these names.
  PKGS+=(docker-buildx docker-compose-v2)
fi

pkg_ok() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
missing=()
for p in "${PKGS[@]}" "${TRIXIE_PKGS[@]}"; do pkg_ok "$p" || missing+=("$p"); done
# bookworm's docker-compose is v1 (python); make sure we have the v2 plugin.
if ((${#TRIXIE_PKGS[@]})) && pkg_ok docker-compose && [[ ! -x /usr/libexec/docker/cli-plugins/docker-compose ]]; then missing+=(docker-compose); fi

if ((${#missing[@]} == 0)) && ((changed == 0)); then
  ci_log "apt packages already installed"
else
  ci_log "installing: ${missing[*]:-(sources changed)}"
  apt-get update -q
  # docker.io's postinst tries to start the service; there is no init system here, and we start
  # dockerd ourselves (scripts/ci/dockerd.sh). Deny service starts during the install.
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -q --no-install-recommends "${PKGS[@]}"
  if ((${#TRIXIE_PKGS[@]})); then
    apt-get install -y -q --no-install-recommends -t trixie "${TRIXIE_PKGS[@]}"
  fi
  if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi

# The client on PATH may be a newer docker-ce-cli (e.g. /usr/local/bin/docker 28.x); it negotiates
# the API version down to the daemon's and finds plugins in /usr/libexec/docker/cli-plugins.
have_plugins || ci_die "docker buildx/compose CLI plugins missing"
command -v dockerd >/dev/null || ci_die "dockerd not installed"
command -v registry >/dev/null || [[ -x /usr/bin/docker-registry ]] || ci_die "docker-registry not installed"
command -v age >/dev/null || ci_die "age not installed"
