#!/usr/bin/env bash
# Installs one of the blob storage servers the blob store tests run against, once per machine:
#   azurite          Azure Blob Storage (npm `azurite`, pinned by azurite/package-lock.json)
#   fake-gcs-server  Google Cloud Storage (built from source through the Go module proxy)
#
# Usage: build.sh azurite|fake-gcs-server [--installed]
# Prints the directory holding the server's executable on stdout (and nothing else), so callers can do
#   export WAVESTORE_AZURITE_BIN="$(bash modules/testkit/blob-servers/build.sh azurite)"
# Progress goes to stderr. With --installed it installs nothing: it prints the cached directory, or exits 3
# when there is none (the tests ask this way). Idempotent: when the cache entry exists it prints it and exits at once. The
# install happens in a temporary directory next to the entry and is renamed into place, so an interrupted
# install never leaves a half-filled entry behind.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tool="${1:-}"
installed_only="${2:-}"
fake_gcs_version="v1.56.1"
# How each is installed; part of the cache key, so a change here installs a new entry.
npm_flags="--ignore-scripts --no-audit --no-fund --loglevel=error"
go_ldflags="-s -w"

log() { echo "blob-servers: $*" >&2; }

case "$tool" in
  azurite)
    command -v npm >/dev/null || { log "npm is not on PATH"; exit 1; }
    version="$(sed -n 's/.*"azurite": *"\([^"]*\)".*/\1/p' "$here/azurite/package.json")"
    inputs_hash="$(cat "$here/azurite/package.json" "$here/azurite/package-lock.json" <(echo "$npm_flags") | sha256sum | cut -c1-10)"
    key="azurite-${version}_node-$(node --version)_${inputs_hash}"
    executable="node_modules/.bin/azurite-blob"
    ;;
  fake-gcs-server)
    command -v go >/dev/null || { log "the Go toolchain is not on PATH"; exit 1; }
    inputs_hash="$(echo "CGO_ENABLED=0 -trimpath $go_ldflags" | sha256sum | cut -c1-10)"
    key="fake-gcs-server-${fake_gcs_version}_$(go env GOVERSION)_$(go env GOOS)-$(go env GOARCH)_${inputs_hash}"
    executable="bin/fake-gcs-server"
    ;;
  *)
    log "usage: build.sh azurite|fake-gcs-server [--installed]"
    exit 2
    ;;
esac

cache_root="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}"
entry="$cache_root/$key"
bin_dir="$entry/$(dirname "$executable")"

if [[ -x "$entry/$executable" ]]; then
  echo "$bin_dir"
  exit 0
fi
if [[ "$installed_only" == "--installed" ]]; then
  log "$tool is not installed in $entry; run: bash $here/build.sh $tool"
  exit 3
fi

mkdir -p "$cache_root"
# One install at a time per machine and key; a second caller waits and then finds the entry complete.
exec 9>"$cache_root/.$key.lock"
flock 9
if [[ -x "$entry/$executable" ]]; then
  echo "$bin_dir"
  exit 0
fi

tmp="$(mktemp -d "$cache_root/.build-$key.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
started=$SECONDS
log "installing $key into $entry"

case "$tool" in
  azurite)
    cp "$here/azurite/package.json" "$here/azurite/package-lock.json" "$tmp/"
    # Exactly the locked tree; no install scripts (azurite needs none), no audit or funding calls.
    # shellcheck disable=SC2086 # the flags are words
    (cd "$tmp" && npm ci $npm_flags >&2)
    ;;
  fake-gcs-server)
    mkdir -p "$tmp/bin"
    CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN="$tmp/bin" nice -n 10 go install -trimpath -ldflags="$go_ldflags" \
      "github.com/fsouza/fake-gcs-server@$fake_gcs_version"
    ;;
esac

# npm's .bin links are relative, so the entry still works after the rename.
rm -rf "$entry"
mv "$tmp" "$entry"
trap - EXIT
log "installed in $((SECONDS - started))s"
echo "$bin_dir"
