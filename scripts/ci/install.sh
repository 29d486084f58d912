#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (docs/CONTRACTS.md "Test infrastructure"). Idempotent: does nothing
# when everything is already installed. Needs root. Made for Debian bookworm (this VM and CI);
# on other Debian/Ubuntu releases it installs the same tools under their local names and uses a
# docker engine that is already installed (GitHub's ubuntu runners).
#   dockerd (docker.io 26.1 + containerd 1.7 from trixie; runc, tini, iptables from bookworm)
#   docker-cli (trixie), docker-buildx, docker-compose (v2)  — CLI and plugins, pinned from trixie
#   docker-registry                                    — CNCF distribution, stands in for GHCR
#   debootstrap                                        — builds the test base image
#   age, git, curl, jq, ca-certificates, xz-utils      — tools used by tests and scripts
#   cmark-gfm                                          — renders posted Markdown as GitHub does (injection tests)
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

TOOLS=(docker-registry debootstrap debian-archive-keyring age git curl jq ca-certificates xz-utils cmark-gfm)
# A docker engine that is already there and not Debian's (e.g. docker-ce on a GitHub runner) is
# used as it is.
foreign_engine=0
if command -v dockerd >/dev/null && ! dpkg-query -W -f='${Status}' docker.io 2>/dev/null | grep -q 'ok installed'; then
  foreign_engine=1
fi
have_plugins() { [[ -x /usr/libexec/docker/cli-plugins/docker-buildx || -x /usr/local/lib/docker/cli-plugins/docker-buildx || -x /usr/lib/docker/cli-plugins/docker-buildx ]] &&
                 [[ -x /usr/libexec/docker/cli-plugins/docker-compose || -x /usr/local/lib/docker/cli-plugins/docker-compose || -x /usr/lib/docker/cli-plugins/docker-compose ]]; }
changed=0
PKGS=("${TOOLS[@]}")
TRIXIE_PKGS=()
if [[ ${ID:-} == debian && ${VERSION_CODENAME:-} == bookworm ]]; then
  # The engine and the CLI plugins come from trixie; everything else stays on bookworm (the rest of
  # trixie is pinned at 100: never chosen by default, never upgrades a bookworm package). Why the
  # trixie engine: bookworm's docker.io 20.10 embeds BuildKit v0.8, whose solver panics ("failed to
  # get edge") and kills dockerd when test files build concurrently. 26.1 uses bookworm's runc/tini.
  if ((foreign_engine)); then
    have_plugins || TRIXIE_PKGS=(docker-buildx docker-compose)
  else
    TRIXIE_PKGS=(docker.io docker-cli containerd docker-buildx docker-compose)
    PKGS+=(runc tini iptables)
  fi
  write_if_changed "$trixie_sources" "Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" && changed=1
  # 990 for TRIXIE_PKGS (bookworm's docker-compose is the python v1; bookworm has no docker-buildx).
  write_if_changed "$trixie_prefs" "Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: docker.io docker-cli containerd docker-buildx docker-compose
Pin: release n=trixie
Pin-Priority: 990" && changed=1
else
  # Other Debian/Ubuntu releases: their own engine and plugins.
  ((foreign_engine)) || PKGS+=(docker.io containerd runc iptables)
  have_plugins || PKGS+=(docker-buildx docker-compose-v2)
fi

pkg_ok() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
missing=()
for p in "${PKGS[@]}" "${TRIXIE_PKGS[@]}"; do pkg_ok "$p" || missing+=("$p"); done
# An engine installed from bookworm before the switch to trixie's: upgrade it.
if ((${#TRIXIE_PKGS[@]})) && pkg_ok docker.io && dpkg --compare-versions "$(dpkg-query -W -f='${Version}' docker.io)" lt 26; then
  missing+=(docker.io)
fi
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
  # One transaction; the pins pick trixie for TRIXIE_PKGS and bookworm for everything else.
  apt-get install -y -q --no-install-recommends "${PKGS[@]}" "${TRIXIE_PKGS[@]}"
  if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi

# The client on PATH may be a newer docker-ce-cli (e.g. /usr/local/bin/docker 28.x); it negotiates
# the API version down to the daemon's and finds plugins in /usr/libexec/docker/cli-plugins.
have_plugins || ci_die "docker buildx/compose CLI plugins missing"
command -v dockerd >/dev/null || ci_die "dockerd not installed"
command -v registry >/dev/null || [[ -x /usr/bin/docker-registry ]] || ci_die "docker-registry not installed"
command -v age >/dev/null || ci_die "age not installed"
command -v cmark-gfm >/dev/null || ci_die "cmark-gfm not installed"
