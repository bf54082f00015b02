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

coredns_version="v1.15.0"
pause_tag="registry.k8s.io/pause:3.10"
k8s_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/kubernetes/go.mod")"
cp_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/../control-plane/kubernetes/go.mod")"
[[ -n "$k8s_version" ]] || { echo "node/build.sh: cannot read the Kubernetes version from kubernetes/go.mod" >&2; exit 1; }
# A kubelet must not be newer than its API server; the tests want both of one release.
[[ "$k8s_version" == "$cp_version" ]] || {
  echo "node/build.sh: node is Kubernetes $k8s_version but the control plane is $cp_version; bump both" >&2; exit 1; }

log() { echo "node: $*" >&2; }

command -v go >/dev/null || { log "the Go toolchain is not on PATH (need go >= 1.26)"; exit 1; }
command -v buildah >/dev/null || { log "buildah is not on PATH (apt-get install buildah)"; exit 1; }
go_version="$(go env GOVERSION)"
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"

inputs_hash="$(cd "$here" && cat build.sh kubernetes/go.mod kubernetes/go.sum kubernetes/*.go pause/go.mod pause/*.go \
  | sha256sum | cut -c1-10)"
key="k8s-${k8s_version}_coredns-${coredns_version}_${go_version}_${goos}-${goarch}_${inputs_hash}"
cache_root="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}/node"
entry="$cache_root/$key"
binaries=(kubelet kube-proxy coredns pause)

complete() {
  [[ -f "$1/versions.txt" && -f "$1/images/pause.oci.tar" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$1/bin/$b" ]] || return 1; done
}

if complete "$entry"; then
  echo "$entry"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.$key.lock"
flock 9
if complete "$entry"; then
  echo "$entry"
  exit 0
fi

tmp="$(mktemp -d "$cache_root/.build-$key.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/bin" "$tmp/images"

started=$SECONDS
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
gobuild() { nice -n 10 go "$@"; }

log "building $key into $entry (several minutes cold; later runs reuse it)"

# The same version stamps as the control plane's build.sh (and Kubernetes' release build).
minor="${k8s_version#v1.}"; minor="${minor%%.*}"
k8s_ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
for cmd in kubelet kube-proxy; do
  log "$cmd $k8s_version"
  (cd "$here/kubernetes" && gobuild build -mod=readonly -trimpath -ldflags="$k8s_ldflags" \
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

rm -rf "$entry"
mv "$tmp" "$entry"
trap - EXIT
log "built in $((SECONDS - started))s"
echo "$entry"
