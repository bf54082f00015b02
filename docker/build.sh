#!/usr/bin/env bash
# Builds the instance and store images without a Docker engine or a registry: the base images come from
# Debian's packages (mmdebstrap bookworm), the Dockerfiles are built with buildah and given those bases as
# build arguments, so the same Dockerfiles build unchanged on the public base images elsewhere.
#
#   bash docker/build.sh               # both images
#   bash docker/build.sh instance      # or: store
#
# The store's server is built with this machine's Maven and handed to buildah as the Dockerfile's build stage
# (server_on_host below); WAVESTORE_STORE_BUILD=container builds it inside the Dockerfile's stages instead.
#
# Prints the directory holding <image>.oci.tar for each image built (OCI archives, tagged
# wavestore/instance:dev and wavestore/store:dev) on stdout; progress on stderr. Heavy steps are cached by
# input hash under ${WAVESTORE_CACHE:-~/.cache/wavestore}/images: a base image by this script, an image by
# this script, its Dockerfile and every file git knows in the build context. Needs root (mmdebstrap, buildah).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
targets=("${@:-instance}")
[[ $# -gt 0 ]] || targets=(instance store)

log() { echo "images: $*" >&2; }
for tool in mmdebstrap buildah; do
  command -v "$tool" >/dev/null || { log "$tool is not on PATH (apt-get install mmdebstrap buildah)"; exit 1; }
done

export CONTAINERS_CONF="$here/containers.conf"
cache="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}/images"
# A container storage of our own (vfs: no overlay mounts needed), never the machine's.
store=(--root "$cache/storage" --runroot "$cache/run" --storage-driver vfs)
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# Bump to rebuild the base images (e.g. for Debian's security updates); they are otherwise keyed by their
# package list and the mmdebstrap hooks below.
base_generation=1

# base NAME PACKAGES [SUITE]: a Debian image (bookworm unless SUITE) with those packages, imported into our
# storage as localhost/wavestore-base/NAME:<hash>.
base() {
  local name="$1" packages="$2" suite="${3:-bookworm}" hash
  hash="$(echo "$base_generation $name $packages $suite" | sha256sum | cut -c1-10)"
  local ref="localhost/wavestore-base/$name:$hash"
  if buildah "${store[@]}" inspect --type image "$ref" >/dev/null 2>&1; then echo "$ref"; return; fi
  local started=$SECONDS
  tar="$(mktemp "$cache/.base-$name.XXXXXX.tar")"
  trap 'rm -f "$tar"' EXIT
  log "base $name: mmdebstrap $suite with $packages"
  # The python images keep Python at /usr/local/bin/python3; the link keeps the Dockerfiles' paths true.
  nice -n 10 mmdebstrap --quiet --variant=minbase --include="$packages" \
    --customize-hook='if [ -e "$1/usr/bin/python3" ]; then ln -sf /usr/bin/python3 "$1/usr/local/bin/python3"; fi' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    "$suite" "$tar" >&2
  local ctr
  ctr="$(buildah "${store[@]}" from scratch)"
  buildah "${store[@]}" add "$ctr" "$tar" / >/dev/null
  buildah "${store[@]}" config --cmd '["/bin/bash"]' --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah "${store[@]}" commit -q --rm "$ctr" "$ref" >/dev/null
  rm -f "$tar"
  trap - EXIT
  log "base $name in $((SECONDS - started))s"
  echo "$ref"
}

# trusted REF: REF plus the certificate authorities this machine adds to Debian's (/usr/local/share/ca-certificates),
# or REF itself when it adds none. Where egress goes through a TLS-inspecting proxy (as on the machines this was
# built on: "SSL certificate problem: self-signed certificate in certificate chain" from curl in the build stage),
# Maven in the build stage and pip in the instance's pods need them; elsewhere nothing changes.
trusted() {
  local ref="$1" cas=(/usr/local/share/ca-certificates/*.crt)
  [[ -e "${cas[0]}" ]] || { echo "$ref"; return; }
  local hash trusted_ref ctr
  hash="$(cat "${cas[@]}" | sha256sum | cut -c1-10)"
  trusted_ref="$ref-ca$hash"
  if buildah "${store[@]}" inspect --type image "$trusted_ref" >/dev/null 2>&1; then echo "$trusted_ref"; return; fi
  log "adding this machine's certificate authorities to $ref"
  ctr="$(buildah "${store[@]}" from --pull=never "$ref")"
  buildah "${store[@]}" copy "$ctr" /usr/local/share/ca-certificates/ /usr/local/share/ca-certificates/ >/dev/null
  # Also renews Java's cacerts where ca-certificates-java is installed (its update.d hook).
  buildah "${store[@]}" run "$ctr" -- update-ca-certificates >&2
  buildah "${store[@]}" commit -q --rm "$ctr" "$trusted_ref" >/dev/null
  echo "$trusted_ref"
}

# The inputs of an image: its Dockerfile, this script and the files git tracks or would track (with their
# content as it is now) that its build reads: the instance image builds only the launcher (with every pom, which
# the reactor reads), the store image the main sources of every module but testkit (the UI's among them; testkit is
# only a test dependency), the instance chart its jar carries and the cluster overlays it copies. Other edits (tests,
# test infrastructure, docs) reuse the cached image.
inputs() {
  case "$1" in
    instance) echo ":(glob)**/pom.xml mvnw .mvn modules/launcher" ;;
    *) echo ":(glob)**/pom.xml mvnw .mvn :(glob)modules/*/src/main/** :(exclude)modules/testkit charts/wave-instance cluster-config" ;;
  esac
}

context_hash() {
  # shellcheck disable=SC2046 # the pathspecs are words
  (cd "$repo" && git ls-files -co --exclude-standard -z -- $(inputs "$1") | grep -zv '^docker/' \
    | xargs -0 sha256sum 2>/dev/null; sha256sum "docker/$1.Dockerfile" docker/build.sh) | sha256sum | cut -c1-10
}

# server_on_host: builds the server with this machine's Maven, ~/.m2 and node (the build the tests run next reuses
# its classes) and prints a directory laid out as the store Dockerfile's build stage leaves its output
# (opt/wavestore/server: the server's jar, lib/ its runtime dependencies). Given as that stage (buildah's
# --build-context build=DIR), it replaces the web and build stages, so the Dockerfile itself is unchanged.
server_on_host() {
  local dist="$cache/.store-server" server="$repo/modules/server"
  log "store: the server built on this machine (./mvnw -pl modules/server -am package, tests not run)"
  (cd "$repo" && nice -n 10 ./mvnw -B -q -pl modules/server -am package dependency:copy-dependencies \
     -DskipTests -DincludeScope=runtime >&2)
  rm -rf "$dist" && mkdir -p "$dist/opt/wavestore/server"
  cp "$server"/target/wavestore-server-*.jar "$dist/opt/wavestore/server/"
  cp -r "$server/target/dependency" "$dist/opt/wavestore/server/lib"
  echo "$dist"
}

# image_dir NAME: where the image of NAME's inputs as they are now is (or will be) kept.
image_dir() { echo "$cache/$1-$(context_hash "$1")"; }
cached() { [[ -f "$(image_dir "$1")/$1.oci.tar" ]]; }

# image NAME BUILDAH-ARGS...: the image built from docker/NAME.Dockerfile, unless its inputs' hash is cached.
image() {
  local name="$1"; shift
  local out key
  out="$(image_dir "$name")"
  key="$(basename "$out")"
  if cached "$name"; then log "$name: cached in $out"; echo "$out"; return; fi
  local started=$SECONDS
  tmp="$(mktemp -d "$cache/.build-$key.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "$name: buildah bud -f docker/$name.Dockerfile $*"
  # --network host: the build stage fetches Maven's dependencies and apt packages as the machine does.
  # The Dockerfile's own ignore file, as BuildKit reads it (<name>.Dockerfile.dockerignore).
  nice -n 10 buildah "${store[@]}" bud --pull=never --network host --layers \
    --ignorefile "$here/$name.Dockerfile.dockerignore" \
    -f "$here/$name.Dockerfile" -t "wavestore/$name:dev" "$@" "$repo" >&2
  # Named as a kubelet names "wavestore/$name:dev" (docker.io/...), so pods find it once imported.
  buildah "${store[@]}" push -q "wavestore/$name:dev" "oci-archive:$tmp/$name.oci.tar:docker.io/wavestore/$name:dev"
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
  log "$name: built in $((SECONDS - started))s"
  prune "$name"
  echo "$out"
}

# prune NAME: keeps the cache from growing with every build. vfs copies every layer in full, and this machine's
# storage had grown to 50 GB (the disk filled up in a CI check). Removes the build's leftover containers, images no
# tag names any more (the bases and the newest images stay tagged) and all but the two newest archives of NAME.
prune() {
  buildah "${store[@]}" rm --all >/dev/null 2>&1 || true
  buildah "${store[@]}" rmi --prune >/dev/null 2>&1 || true
  # shellcheck disable=SC2012 # our own directory names, no odd characters
  ls -dt "$cache/$1"-*/ | tail -n +3 | xargs -r rm -rf
}

for target in "${targets[@]}"; do
  case "$target" in
    instance)
      python="$(trusted "$(base python python3,python3-venv,passwd,tini,ca-certificates)")"
      # binutils: Debian's jlink --strip-debug runs objcopy (eclipse-temurin's JDK images have it too).
      jdk="$(trusted "$(base jdk openjdk-17-jdk-headless,binutils,passwd,ca-certificates,curl)")"
      image instance --build-arg "PYTHON_IMAGE=$python" --build-arg "JDK_IMAGE=$jdk" ;;
    store)
      jdk="$(trusted "$(base jdk openjdk-17-jdk-headless,binutils,passwd,ca-certificates,curl)")"
      # One JDK image serves as the JRE too: a JRE-only base would be one more debootstrap for ~100 MB.
      if [[ "${WAVESTORE_STORE_BUILD:-host}" == container ]]; then
        # The Dockerfile's own web and build stages, as `docker build` runs them elsewhere (14 min here with the
        # bases cached, most of it Maven downloading every dependency into an empty cache mount).
        # The UI's build needs Node.js >= 20.19: bookworm has 18, trixie 20.19.
        node="$(trusted "$(base node nodejs,npm,ca-certificates trixie)")"
        image store --build-arg "JDK_IMAGE=$jdk" --build-arg "JRE_IMAGE=$jdk" --build-arg "NODE_IMAGE=$node"
      else
        server=()
        cached store || server=(--build-context "build=$(server_on_host)")
        image store --build-arg "JDK_IMAGE=$jdk" --build-arg "JRE_IMAGE=$jdk" "${server[@]}"
      fi ;;
    *) log "unknown image $target (instance or store)"; exit 2 ;;
  esac
done
