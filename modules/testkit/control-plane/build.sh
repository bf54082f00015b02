#!/usr/bin/env bash
# Builds the binaries of a real, containerless Kubernetes control plane for the tests, once per machine:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler (one Kubernetes release) and kwok (fake nodes
# and pod lifecycles). Everything comes from source through the Go module proxy; see README.md.
#
# Prints the bin directory on stdout (and nothing else), so callers can do
#   export WAVESTORE_CONTROL_PLANE_BIN="$(bash modules/testkit/control-plane/build.sh)"
# Progress goes to stderr. Idempotent: when the cache entry exists it prints it and exits at once.
# The build happens in a temporary directory next to the cache entry and is renamed into place, so an
# interrupted build never leaves a half-filled entry behind.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The versions. Kubernetes and etcd are pinned by the wrapper modules' go.mod files; kwok is installed at its
# own tagged version with its own go.mod and go.sum.
kwok_version="v0.8.0"
k8s_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/kubernetes/go.mod")"
etcd_version="$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" { print $3 }' "$here/etcd/go.mod")"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || { echo "build.sh: cannot read versions from the go.mod files" >&2; exit 1; }

log() { echo "control-plane: $*" >&2; }

command -v go >/dev/null || { log "the Go toolchain is not on PATH (need go >= 1.26)"; exit 1; }
go_version="$(go env GOVERSION)"
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"

# The key names the versions and hashes every input, so any change to a wrapper module or to this script
# builds a new entry instead of reusing a stale one.
inputs_hash="$(cd "$here" && cat build.sh kubernetes/go.mod kubernetes/go.sum kubernetes/*.go \
  etcd/go.mod etcd/go.sum etcd/*.go | sha256sum | cut -c1-10)"
key="k8s-${k8s_version}_etcd-${etcd_version}_kwok-${kwok_version}_${go_version}_${goos}-${goarch}_${inputs_hash}"
cache_root="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}/control-plane"
entry="$cache_root/$key"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

complete() {
  [[ -f "$1/versions.txt" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$1/bin/$b" ]] || return 1; done
}

if complete "$entry"; then
  echo "$entry/bin"
  exit 0
fi

mkdir -p "$cache_root"
# One build at a time per machine and key; a second caller waits and then finds the entry complete.
exec 9>"$cache_root/.$key.lock"
flock 9
if complete "$entry"; then
  echo "$entry/bin"
  exit 0
fi

tmp="$(mktemp -d "$cache_root/.build-$key.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/bin"

started=$SECONDS
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
# Heavy compiles run at a lower priority so other builds on this (2-core) machine stay responsive.
gobuild() { nice -n 10 go "$@"; }

log "building $key into $entry (8 to 13 minutes on 2 cores; later runs reuse it)"

log "etcd $etcd_version"
(cd "$here/etcd" && gobuild build -mod=readonly -trimpath -ldflags="-s -w" -o "$tmp/bin/etcd" .)

# The same version stamps as Kubernetes' own release build (hack/lib/version.sh), so the API server reports
# its real version: Helm checks charts' kubeVersion constraints against it.
minor="${k8s_version#v1.}"; minor="${minor%%.*}"
k8s_ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
  log "$cmd $k8s_version"
  (cd "$here/kubernetes" && gobuild build -mod=readonly -trimpath -ldflags="$k8s_ldflags" \
    -o "$tmp/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done

log "kwok $kwok_version"
GOBIN="$tmp/bin" gobuild install -trimpath \
  -ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$kwok_version -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$k8s_version" \
  "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"

cat >"$tmp/versions.txt" <<EOF
kubernetes $k8s_version
etcd $etcd_version
kwok $kwok_version
go $go_version $goos/$goarch
built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((SECONDS - started))s
EOF

rm -rf "$entry"
mv "$tmp" "$entry"
trap - EXIT
log "built in $((SECONDS - started))s"
echo "$entry/bin"
