#!/usr/bin/env bash
# Does a JVM option make the launcher's start shorter? The launcher as the store runs it (this checkout's server class
# path, java -XX:+UseSerialGC -Xmx64m), no store: a new instance of examples/hello-wave whose environment is in the
# dependency cache already, from the launcher's start to its READY line, with and without OPTIONS, alternating.
#
#   loadtest/start-time/launcher-jvm-options.sh [runs] [options...]   # after run.sh built this checkout
#   e.g. loadtest/start-time/launcher-jvm-options.sh 8 -XX:TieredStopAtLevel=1
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-8}
shift || true
options=("$@")
uv=${UV:-$(command -v uv || echo "$HOME/.cache/wavestore/uv-venv/bin/uv")}
cp="$root/modules/server/target/classes:$(cat "$root/modules/server/target/classpath.txt")"
work=$(mktemp -d /tmp/wavestore-jvm-options.XXXXXX)
trap 'rm -rf "$work"' EXIT
java -cp "$cp" io.wavestore.bundle.PackCommand "$root/examples/hello-wave" "$work/hello.wave" >/dev/null

# start_once <label> <dir> [java options...]: prints "<label> <ms to READY> load <1-min load>"
start_once() {
  local label="$1" dir="$2" port pid start
  shift 2
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  start=$(date +%s%N)
  env WAVESTORE_INSTANCE_ID=measure WAVESTORE_BUNDLE_FILE="$work/hello.wave" WAVESTORE_WORK_DIR="$dir/app" \
    WAVESTORE_LISTEN_ADDRESS="127.0.0.1:$port" H2O_WAVE_BASE_URL=/instance/measure/ WAVESTORE_SYSTEM_PACKAGES=skip \
    WAVESTORE_DEPENDENCY_CACHE="$work/cache" WAVESTORE_UV="$uv" \
    java -XX:+UseSerialGC -Xmx64m "$@" -cp "$cp" io.wavestore.launcher.Main >"$dir/log" 2>&1 &
  pid=$!
  until grep -qs 'READY done' "$dir/log"; do
    kill -0 "$pid" 2>/dev/null || { echo "launcher died:" >&2; cat "$dir/log" >&2; exit 1; }
    sleep 0.02
  done
  echo "$label $(( ($(date +%s%N) - start) / 1000000 )) load $(cut -d' ' -f1 /proc/loadavg)"
  kill -TERM "$pid"; wait "$pid" || true
}

start_once prime "$work/prime" >/dev/null
for i in $(seq "$runs"); do
  start_once default "$work/d$i"
  start_once "${options[*]:-none}" "$work/o$i" "${options[@]}"
done
