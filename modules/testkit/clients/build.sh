#!/usr/bin/env bash
# Builds the clients a platform team uses by hand on the store's cluster: kubectl of the control plane's
# Kubernetes release and the helm CLI, both from source through the Go module proxy; see README.md.
#
# Usage: build.sh [--installed]
# Prints the bin directory on stdout (and nothing else), so callers can do
#   export WAVESTORE_CLIENTS_BIN="$(bash modules/testkit/clients/build.sh)"
# Progress goes to stderr. With --installed it builds nothing: it prints the cached directory, or exits 3 when
# there is none (the tests ask this way). Idempotent and cached by input hash, like the node's build.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/cache-entry.sh
source "$here/../lib/cache-entry.sh"

helm_version="v4.3.2"
k8s_version="$(k8s_release_of_wrapper clients/build.sh)"

log() { echo "clients: $*" >&2; }

go_platform clients/build.sh

inputs_hash="$(cd "$here" && cat build.sh ../lib/cache-entry.sh kubernetes/go.mod kubernetes/go.sum kubernetes/*.go \
  | sha256sum | cut -c1-10)"
key="kubectl-${k8s_version}_helm-${helm_version}_${go_version}_${goos}-${goarch}_${inputs_hash}"
entry="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}/clients/$key"
binaries=(kubectl helm)

complete() {
  [[ -f "$1/versions.txt" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$1/bin/$b" ]] || return 1; done
}

if [[ "${1:-}" == "--installed" ]] && ! complete "$entry"; then
  log "kubectl and helm are not built in $entry; run: bash $here/build.sh"
  exit 3
fi
entry_ready && { echo "$entry/bin"; exit 0; }
entry_begin
mkdir -p "$tmp/bin"
started=$SECONDS
log "building $key into $entry (minutes cold; later runs reuse it)"

log "kubectl $k8s_version"
(cd "$here/kubernetes" && gobuild build -mod=readonly -trimpath -ldflags="$(k8s_ldflags "$k8s_version")" \
  -o "$tmp/bin/kubectl" "k8s.io/kubernetes/cmd/kubectl")

# Its own go.mod and go.sum, checked against the checksum database; the version stamp is what `helm version` shows.
log "helm $helm_version"
GOBIN="$tmp/bin" gobuild install -trimpath \
  -ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$helm_version" "helm.sh/helm/v4/cmd/helm@$helm_version"

cat >"$tmp/versions.txt" <<VERSIONS
kubectl $k8s_version
helm $helm_version
go $go_version $goos/$goarch
built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((SECONDS - started))s
VERSIONS

entry_commit
log "built in $((SECONDS - started))s"
echo "$entry/bin"
