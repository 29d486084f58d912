#!/usr/bin/env bash
# A real HashiCorp Vault for the vault-provider tests (test/secrets/vault-real.test.ts): builds the
# server from source through the Go module proxy into a cache outside the checkout, and runs
# `vault server -dev` on loopback. Idempotent: a cached binary is reused, a running server is kept.
#   vault.sh build   build once (cold: 20-60 min on 2 cores), then print the binary's path
#   vault.sh path    print the cached binary's path; fail when it is not built
#   vault.sh start   start the dev server (needs the binary) and record it in $DOCKRION_CI_ENV_FILE
#   vault.sh stop | status
#
# Licence: Vault >= 1.15 is BUSL-1.1. Running it as a test fixture is permitted; the binary stays in
# the cache and is never committed, copied into an image, or shipped.
#
# Why it is built this way:
# - `go install github.com/hashicorp/vault@vX` is refused: vault's go.mod has replace directives
#   (its api, sdk and api/auth/* modules point at directories the module zip does not contain).
#   A throw-away wrapper module requires vault plus the published api/sdk modules instead, and
#   repeats vault's one replace that points elsewhere (signedxml).
# - The published sdk must match vault's sources. v1.15.4 builds with sdk v0.10.2 and api v1.11.0
#   (api v1.10.0, the version vault's go.mod names, lacks fields vault/command uses), once the sdk
#   copy gets two one-line context helpers that the 1.15 branch's in-tree sdk has and sdk v0.10.2
#   lacks (they are in sdk v0.11.0, MPL-2.0). v1.15.5+ need an sdk that was never published for 1.15.
# - -checklinkname=0: Go >= 1.23 rejects some old //go:linkname uses in vault's dependencies.
# - godebug x509negativeserial=1: with Go >= 1.23 defaults a builtin database plugin panics at
#   start-up on an embedded CA certificate with a negative serial number.
# Needs: go >= 1.23, the Go module proxy, ~3 GB of Go module/build cache; the binary is ~275 MB.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

VAULT_VERSION=v1.15.4
VAULT_SDK_VERSION=v0.10.2
VAULT_API_VERSION=v1.11.0
cache_dir="${DOCKRION_VAULT_CACHE:-$DOCKRION_CI_CACHE/tools/vault}"
bin="$cache_dir/vault-$VAULT_VERSION"
link="$cache_dir/vault"

state="$DOCKRION_CI_STATE/vault"
pidfile="$state/vault.pid"
logfile="$state/vault.log"
tokenfile="$state/root-token"   # the dev server's root token: mode 0600, a throw-away per start
lockfile="$DOCKRION_CI_STATE/vault.lock"
addr="${DOCKRION_VAULT_ADDR:-127.0.0.1:8200}"
url="http://$addr"

built() { [[ -x $bin ]] && "$bin" version >/dev/null 2>&1; }

build() {
  if built; then ln -sfn "$bin" "$link"; echo "$link"; return 0; fi
  command -v go >/dev/null || ci_die "go is not installed (vault is built from source with go >= 1.23)"
  local gover
  gover=$(go env GOVERSION)
  [[ $gover =~ ^go1\.([0-9]+) ]] && ((BASH_REMATCH[1] >= 23)) ||
    ci_die "go >= 1.23 is needed to build vault (found $gover)"
  mkdir -p "$cache_dir"
  # Two builds at once would double the cost and race on the output file.
  exec 8>"$cache_dir/.build.lock"
  flock -w 7200 8 || ci_die "could not lock $cache_dir/.build.lock"
  if built; then ln -sfn "$bin" "$link"; echo "$link"; return 0; fi

  local work t0
  t0=$(date +%s)
  work=$(mktemp -d /tmp/dockrion-vault-build.XXXXXX)
  # shellcheck disable=SC2064 # expand $work now
  trap "rm -rf '$work'" EXIT
  cd "$work"
  go mod init dockrion-vault-build >/dev/null 2>&1
  printf '//go:build tools\n\npackage vaultbuild\n\nimport _ "github.com/hashicorp/vault"\n' >tools.go
  go mod edit \
    -require="github.com/hashicorp/vault@$VAULT_VERSION" \
    -require="github.com/hashicorp/vault/api@$VAULT_API_VERSION" \
    -require="github.com/hashicorp/vault/sdk@$VAULT_SDK_VERSION" \
    -require=github.com/hashicorp/vault/api/auth/approle@v0.1.0 \
    -require=github.com/hashicorp/vault/api/auth/userpass@v0.1.0 \
    -require=github.com/hashicorp/vault/api/auth/kubernetes@v0.4.1 \
    -replace=github.com/ma314smith/signedxml@v1.1.1=github.com/moov-io/signedxml@v1.1.1 \
    -godebug=x509negativeserial=1
  # -e: a test-only import in one dependency's test utilities does not resolve; the binary does not use it.
  ci_log "vault: resolving modules for $VAULT_VERSION (sdk $VAULT_SDK_VERSION, api $VAULT_API_VERSION)"
  GOFLAGS=-mod=mod go mod tidy -e >tidy.log 2>&1 || { cat tidy.log >&2; ci_die "go mod tidy failed"; }
  local sdk_src
  sdk_src="$(go env GOMODCACHE)/github.com/hashicorp/vault/sdk@$VAULT_SDK_VERSION"
  [[ -d $sdk_src ]] || GOFLAGS=-mod=mod go mod download "github.com/hashicorp/vault/sdk@$VAULT_SDK_VERSION"
  cp -r "$sdk_src" sdk && chmod -R u+w sdk
  if ! grep -rq 'func ContextOriginalBodyValue' sdk/logical; then
    cat >sdk/logical/original_body_compat.go <<'GO'
// Copyright (c) HashiCorp, Inc.
// SPDX-License-Identifier: MPL-2.0

// From github.com/hashicorp/vault/sdk v0.11.0 logical/request.go: helpers that the vault 1.15
// branch's in-tree sdk has and the published sdk v0.10.2 lacks.

package logical

import (
	"context"
	"io"
)

type ctxKeyOriginalBody struct{}

func ContextOriginalBodyValue(ctx context.Context) (io.ReadCloser, bool) {
	value, ok := ctx.Value(ctxKeyOriginalBody{}).(io.ReadCloser)
	return value, ok
}

func CreateContextOriginalBody(parent context.Context, body io.ReadCloser) context.Context {
	return context.WithValue(parent, ctxKeyOriginalBody{}, body)
}
GO
  fi
  go mod edit -replace=github.com/hashicorp/vault/sdk=./sdk
  ci_log "vault: compiling (cold: 20-60 min; with a warm Go build cache: a few minutes)"
  GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w -checklinkname=0' -o "$bin.tmp" github.com/hashicorp/vault
  mv -f "$bin.tmp" "$bin"
  ln -sfn "$bin" "$link"
  ci_log "vault: built $("$bin" version) in $(($(date +%s) - t0))s"
  echo "$link"
}

is_vault() { [[ -n ${1:-} ]] && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == vault* ]]; }

# Unsealed and active: sys/health answers 200 (429 standby, 503 sealed, 501 not initialised).
healthy() { curl -fs -o /dev/null --max-time 2 "$url/v1/sys/health"; }

token_works() {
  [[ -s $tokenfile ]] || return 1
  curl -fs -o /dev/null --max-time 2 -H "X-Vault-Token: $(cat "$tokenfile")" "$url/v1/auth/token/lookup-self"
}

status() { healthy && token_works; }

# Replaces the DOCKRION_TEST_VAULT_* lines of the env file that scripts/ci/services.sh writes.
write_env() {
  local tmp="$DOCKRION_CI_ENV_FILE.tmp.$$"
  { grep -v '^export DOCKRION_TEST_VAULT_' "$DOCKRION_CI_ENV_FILE" 2>/dev/null || true
    echo "export DOCKRION_TEST_VAULT_ADDR=$url"
    echo "export DOCKRION_TEST_VAULT_TOKEN=$(cat "$tokenfile")"
    echo "export DOCKRION_TEST_VAULT_BIN=$link"
  } >"$tmp"
  mv "$tmp" "$DOCKRION_CI_ENV_FILE"
  ci_log "vault: $url recorded in $DOCKRION_CI_ENV_FILE"
}

start() {
  if status; then ci_log "vault already running on $addr"; write_env; return 0; fi
  if healthy; then ci_die "a Vault on $addr answers but its root token is not $tokenfile's; stop it or set DOCKRION_VAULT_ADDR"; fi
  built || ci_die "vault $VAULT_VERSION is not built in $cache_dir (run: bash scripts/ci/vault.sh build)"
  ln -sfn "$bin" "$link"
  local old t0 token
  old=$(cat "$pidfile" 2>/dev/null || true)
  if is_vault "$old"; then ci_log "vault (pid $old) does not answer; restarting it"; ci_stop_pid "$old" 20 0.25; fi
  token="dev-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  (umask 077; printf '%s' "$token" >"$tokenfile")
  ci_log "starting vault $VAULT_VERSION dev server on $addr (log $logfile)"
  t0=$(date +%s.%N)
  # In-memory storage, unsealed, KV v2 at secret/. The root token goes through the environment, not
  # argv (ps shows argv), and is not written to ~/.vault-token. setsid: out of our process group.
  VAULT_DEV_ROOT_TOKEN_ID=$token setsid "$link" server -dev -dev-listen-address="$addr" -dev-no-store-token \
    >>"$logfile" 2>&1 </dev/null 8>&- 9>&- &
  local pid=$! deadline=$(( $(date +%s) + 120 ))
  echo "$pid" >"$pidfile"
  until status; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -30 "$logfile" >&2; rm -f "$pidfile" "$tokenfile"; ci_die "vault exited during start-up (is $addr taken?)"
    fi
    if (( $(date +%s) >= deadline )); then tail -30 "$logfile" >&2; stop; ci_die "vault did not answer within 120s"; fi
    sleep 0.25
  done
  ci_log "vault up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"
  write_env
}

stop() {
  ci_stop_pidfile "$pidfile" is_vault vault 40 0.25
  rm -f "$tokenfile"
  if [[ -f $DOCKRION_CI_ENV_FILE ]] && grep -q '^export DOCKRION_TEST_VAULT_' "$DOCKRION_CI_ENV_FILE"; then
    local tmp="$DOCKRION_CI_ENV_FILE.tmp.$$"
    grep -v '^export DOCKRION_TEST_VAULT_' "$DOCKRION_CI_ENV_FILE" >"$tmp" || true
    mv "$tmp" "$DOCKRION_CI_ENV_FILE"
  fi
}

mkdir -p "$state"
case "${1:-}" in
  build) build ;;
  path) built || ci_die "vault $VAULT_VERSION is not built in $cache_dir"; ln -sfn "$bin" "$link"; echo "$link" ;;
  *) ci_service_main "$lockfile" 120 status "$@" ;;
esac
