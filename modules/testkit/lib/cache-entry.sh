# Sourced by the testkit's build scripts (node/build.sh, clients/build.sh): the steps every cached build shares.
# A build script sets `entry` (the cache entry's directory) and defines `complete DIR` (is DIR a finished entry?),
# then calls, in order:
#   entry_ready && { echo "$entry"; exit 0; }    # nothing to do; also after waiting for another builder
#   entry_begin                                   # sets $tmp: the build writes there
#   entry_commit                                  # renames $tmp into place
# The build happens in a temporary directory next to the entry and is renamed into place, so an interrupted
# build never leaves a half-filled entry behind; a lock makes a second caller for the same key wait for the first.
# (control-plane/build.sh predates this file and keeps its own copy: its cache key hashes its own text, and a cold
# control plane costs 25 minutes of CI.)

# The Kubernetes version a wrapper module's go.mod requires.
k8s_module_version() {
  awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$1"
}

# The Kubernetes release of the calling script's wrapper module ($here/kubernetes), checked to be the control plane's:
# a kubelet must not be newer than its API server, kubectl allows one minor version of skew; the tests want one release.
k8s_release_of_wrapper() {
  local what="$1" version cp
  version="$(k8s_module_version "$here/kubernetes/go.mod")"
  cp="$(k8s_module_version "$here/../control-plane/kubernetes/go.mod")"
  [[ -n "$version" ]] || { echo "$what: cannot read the Kubernetes version from $here/kubernetes/go.mod" >&2; return 1; }
  [[ "$version" == "$cp" ]] || { echo "$what: Kubernetes $version but the control plane is $cp; bump both" >&2; return 1; }
  echo "$version"
}

# Sets go_version, goos and goarch (part of every key) from the Go toolchain on PATH.
go_platform() {
  command -v go >/dev/null || { echo "$1: the Go toolchain is not on PATH (need go >= 1.26)" >&2; return 1; }
  go_version="$(go env GOVERSION)"
  goos="$(go env GOOS)"
  goarch="$(go env GOARCH)"
}

# The same version stamps as Kubernetes' own release build (hack/lib/version.sh), so a binary reports its real
# version: Helm checks charts' kubeVersion constraints against the API server's, kubectl warns about skew with its own.
k8s_ldflags() {
  local version="$1" minor pkg flags="-s -w"
  minor="${version#v1.}"; minor="${minor%%.*}"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

# True when $entry is complete, waiting first for a build of the same key that is under way. Otherwise holds the
# key's lock (fd 9) until the script exits, so the caller builds it.
entry_ready() {
  complete "$entry" && return 0
  local root key
  root="$(dirname "$entry")"; key="$(basename "$entry")"
  mkdir -p "$root"
  exec 9>"$root/.$key.lock"
  flock 9
  complete "$entry"
}

entry_begin() {
  tmp="$(mktemp -d "$(dirname "$entry")/.build-$(basename "$entry").XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  chmod 755 "$tmp"
  export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
}

entry_commit() {
  rm -rf "$entry"
  mv "$tmp" "$entry"
  trap - EXIT
}

# Heavy compiles run at a lower priority so other builds on this (2-core) machine stay responsive.
gobuild() { nice -n 10 go "$@"; }
