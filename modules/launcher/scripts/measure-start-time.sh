#!/usr/bin/env bash
# Measures the time from starting the launcher to its READY report for examples/hello-wave, as
# loadtest/launcher-start-time.md reports it. Runs the packaged jar (build it first:
#   ./mvnw -q -pl modules/launcher -am install -DskipTests) with a local bundle file and no store.
#
#   modules/launcher/scripts/measure-start-time.sh [runs]          # reused and warm
#   COLD=1 modules/launcher/scripts/measure-start-time.sh [runs]   # and one cold start (downloads ~15 MB)
#
# Scenarios, each `runs` times (default 3):
#   reused  the venv from a previous start is reused (requirements.txt unchanged): the restart of an instance
#   warm    a new venv, pip's cache already holds the wheels: the first start of an app on a warm node
#   cold    a new venv and an empty pip cache: wheels come from the index (once, only with COLD=1)
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-3}"
jar="modules/launcher/target/wavestore-launcher-0.1.0-SNAPSHOT.jar"
[[ -f "$jar" ]] || { echo "build the launcher first: $jar is missing" >&2; exit 1; }
work="$(mktemp -d /tmp/wavestore-start-time.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cache="${WAVESTORE_CACHE:-$HOME/.cache/wavestore}/pip"
java -cp "modules/launcher/target/lib/*" io.wavestore.bundle.PackCommand examples/hello-wave "$work/hello.wave" >/dev/null

# start_once <label> <venv dir> <pip cache dir>: prints "<label> <ms>"
start_once() {
  local label="$1" venv="$2" pipcache="$3" port log pid start now
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  log="$work/$label-$RANDOM.log"
  rm -rf "$work/instance"
  start=$(date +%s%N)
  WAVESTORE_INSTANCE_ID=measure WAVESTORE_BUNDLE_FILE="$work/hello.wave" WAVESTORE_WORK_DIR="$work/instance/app" \
    WAVESTORE_VENV_DIR="$venv" WAVESTORE_LISTEN_ADDRESS="127.0.0.1:$port" H2O_WAVE_BASE_URL=/instance/measure/ \
    WAVESTORE_SYSTEM_PACKAGES=skip PIP_CACHE_DIR="$pipcache" \
    java -XX:+UseSerialGC -Xmx64m -jar "$jar" >"$log" 2>&1 &
  pid=$!
  until grep -qs 'READY done' "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "launcher died; log: $log" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  now=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  echo "$label $(( (now - start) / 1000000 ))"
}

echo "# $(nproc) cores, $(uname -m), $(python3 --version), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
start_once prime "$work/venv-reused" "$cache" >/dev/null   # builds the venv the 'reused' runs reuse
for _ in $(seq "$runs"); do start_once reused "$work/venv-reused" "$cache"; done
for _ in $(seq "$runs"); do rm -rf "$work/venv-warm"; start_once warm "$work/venv-warm" "$cache"; done
if [[ "${COLD:-0}" == 1 ]]; then
  start_once cold "$work/venv-cold" "$work/pip-cold"
fi
