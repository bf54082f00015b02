#!/usr/bin/env bash
# Builds what a real Kubernetes node for the tests needs beside the control plane (../control-plane):
# kubelet and kube-proxy of the same Kubernetes release, CoreDNS, and the pod sandbox ("pause") image as an OCI
# archive that the tests import into containerd. Everything from source through the Go module proxy; see
# README.md. The container runtime itself (containerd, runc, CNI plugins) comes from Debian's packages.
#
# Prints the entry directory on stdout (and nothing else): bin/ holds the binaries, images/ the OCI archives.
#   export WAVESTORE_NODE_DIR="$(bash modules/testkit/node/build.sh)"
# Progress goes to stderr. Idempotent and cached by input hash, like the control plane's build.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/cache-entry.sh
source "$here/../lib/cache-entry.sh"

coredns_version="v1.15.0"
pause_tag="registry.k8s.io/pause:3.10"
k8s_version="$(k8s_release_of_wrapper node/build.sh)"

log() { echo "node: $*" >&2; }

go_platform node/build.sh
command -v buildah >/dev/null || { log "buildah is not on PATH (apt-get install buildah)"; exit 1; }

inputs_hash="$(cd "$here" && cat build.sh ../lib/cache-entry.sh kubernetes/go.mod kubernetes/go.sum kubernetes/*.go pause/go.mod pause/*.go \
  | sha256sum | cut -c1-10)"
key="k8s-${k8s_version}_coredns-${coredns_version}_${go_version}_${goos}-${goarch}_${inputs_hash}"
entry="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}/node/$key"
binaries=(kubelet kube-proxy coredns pause)

complete() {
  [[ -f "$1/versions.txt" && -f "$1/images/pause.oci.tar" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$1/bin/$b" ]] || return 1; done
}

entry_ready && { echo "$entry"; exit 0; }
entry_begin
mkdir -p "$tmp/bin" "$tmp/images"
started=$SECONDS

log "building $key into $entry (several minutes cold; later runs reuse it)"

for cmd in kubelet kube-proxy; do
  log "$cmd $k8s_version"
  (cd "$here/kubernetes" && gobuild build -mod=readonly -trimpath -ldflags="$(k8s_ldflags "$k8s_version")" \
    -o "$tmp/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done

log "coredns $coredns_version"
GOBIN="$tmp/bin" gobuild install -trimpath -ldflags="-s -w" "github.com/coredns/coredns@$coredns_version"

log "pause image $pause_tag"
(cd "$here/pause" && gobuild build -trimpath -ldflags="-s -w" -o "$tmp/bin/pause" .)
# An image of one static binary, written as an OCI archive named like the kubelet's default sandbox image.
# vfs storage under the temporary directory: no overlay mounts, nothing left in the machine's image store.
store=(--root "$tmp/.storage" --runroot "$tmp/.run" --storage-driver vfs)
ctr="$(buildah "${store[@]}" from scratch)"
buildah "${store[@]}" copy "$ctr" "$tmp/bin/pause" /pause >/dev/null
buildah "${store[@]}" config --entrypoint '["/pause"]' --user 65535:65535 "$ctr"
buildah "${store[@]}" commit -q "$ctr" "$pause_tag" >/dev/null
buildah "${store[@]}" push -q "$pause_tag" "oci-archive:$tmp/images/pause.oci.tar:$pause_tag"
buildah "${store[@]}" rm "$ctr" >/dev/null
buildah "${store[@]}" rmi -a -f >/dev/null 2>&1 || true
rm -rf "$tmp/.storage" "$tmp/.run"

cat >"$tmp/versions.txt" <<VERSIONS
kubernetes $k8s_version
coredns $coredns_version
pause $pause_tag
go $go_version $goos/$goarch
built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((SECONDS - started))s
VERSIONS

entry_commit
log "built in $((SECONDS - started))s"
echo "$entry"
