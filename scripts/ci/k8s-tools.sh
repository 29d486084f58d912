#!/usr/bin/env bash
# The real consumers of the Kubernetes secret deliveries, for the tests (issue 13): sops and
# kubeseal built from the Go module proxy into $DOCKRION_CI_CACHE/tools (once; go-tool.sh), the
# SealedSecret CRD of the same kubeseal release beside it (its schema validates what we write),
# and Flux's kustomize build (flux-build.sh). Idempotent; prints nothing when all is cached.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# The Go toolchain of this machine kind lives in /usr/local/go; a CI shell may not have it on PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then PATH="$PATH:/usr/local/go/bin"; fi
SOPS_VERSION=v3.11.0
SEALED_SECRETS_VERSION=v0.27.3
bash "$here/go-tool.sh" sops "github.com/getsops/sops/v3/cmd/sops@$SOPS_VERSION"
bash "$here/go-tool.sh" kubeseal "github.com/bitnami-labs/sealed-secrets/cmd/kubeseal@$SEALED_SECRETS_VERSION"
crd="$DOCKRION_CI_CACHE/tools/kubeseal/bitnami.com_sealedsecrets.yaml"
if [[ ! -s $crd || "$(cat "$crd.version" 2>/dev/null)" != "$SEALED_SECRETS_VERSION" ]]; then
  module=$(go mod download -json "github.com/bitnami-labs/sealed-secrets@$SEALED_SECRETS_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -n $module && -f $module/helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml ]] ||
    ci_die "SealedSecret CRD not found in github.com/bitnami-labs/sealed-secrets@$SEALED_SECRETS_VERSION"
  install -m 0644 "$module/helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml" "$crd"
  echo "$SEALED_SECRETS_VERSION" >"$crd.version"
  ci_log "SealedSecret CRD ($SEALED_SECRETS_VERSION) → $crd"
fi
bash "$here/flux-build.sh"
