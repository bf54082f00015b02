#!/usr/bin/env bash
# Side by side, in one run on one machine with one app (examples/hello-wave): the time from starting a launcher to
# its READY report, for today's launcher (BASELINE_JAR, built from an older commit) and this one with the dependency
# cache and uv. loadtest/instance-start-time.md reports the figures. Build this launcher first:
#   ./mvnw -q -pl modules/launcher -am package -DskipTests
#   BASELINE_JAR=/tmp/baseline/wavestore-launcher-0.1.0-SNAPSHOT.jar UV=/path/to/uv \
#     modules/launcher/scripts/measure-instance-start.sh [runs]
#
# Scenarios, `runs` times each (default 5), each in a fresh directory of its own:
#   baseline-first   today's launcher, a new venv, an empty pip cache (PIP_CACHE_DIR)
#   baseline-new     today's launcher, a new instance (new venv), the same pip cache as before
#   baseline-resume  today's launcher, the instance's venv reused
#   first            this launcher, a new instance and an empty dependency cache: uv downloads everything
#   new              this launcher, a new instance (new venv) of requirements installed once before
#   resume           this launcher, the instance's venv reused
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-5}"
jar="${JAR:-modules/launcher/target/wavestore-launcher-0.1.0-SNAPSHOT.jar}"
baseline="${BASELINE_JAR:?set BASELINE_JAR to a launcher jar built from the commit to compare with}"
uv="${UV:-$(command -v uv)}"
[[ -f "$jar" ]] || { echo "build the launcher first: $jar is missing" >&2; exit 1; }
work="$(mktemp -d /tmp/wavestore-instance-start.XXXXXX)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
java -cp "modules/launcher/target/lib/*" io.wavestore.bundle.PackCommand examples/hello-wave "$work/hello.wave" >/dev/null

# start_once <label> <jar> <instance dir> [VAR=value...]: prints "<label> <ms to READY> install <ms> load <1-min load>",
# where install is the INSTALLING_DEPENDENCIES step alone (from its first report to the next step's), which the
# machine's load inflates less than the whole (JVM, waved and the app start with it).
start_once() {
  local label="$1" launcher="$2" dir="$3" port log pid start now install
  shift 3
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  log="$work/$label-$RANDOM.log"
  rm -rf "$dir/app"
  start=$(date +%s%N)
  env WAVESTORE_INSTANCE_ID=measure WAVESTORE_BUNDLE_FILE="$work/hello.wave" WAVESTORE_WORK_DIR="$dir/app" \
    WAVESTORE_LISTEN_ADDRESS="127.0.0.1:$port" H2O_WAVE_BASE_URL=/instance/measure/ \
    WAVESTORE_SYSTEM_PACKAGES=skip "$@" java -XX:+UseSerialGC -Xmx64m -jar "$launcher" \
    > >(perl -MTime::HiRes=time -ne '$|=1; printf "%d %s", time*1000, $_' >"$log") 2>&1 &
  pid=$!
  until grep -qs 'READY done' "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "launcher died; log: $log" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  now=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  install=$(awk '/INSTALLING_DEPENDENCIES running: Installing the dependencies/ {a=$1} /STARTING_WAVE_SERVER running/ {print $1-a; exit}' "$log")
  echo "$label $(( (now - start) / 1000000 )) install $install load $(cut -d' ' -f1 /proc/loadavg)"
}

echo "# $(nproc) cores, $(uname -m), $(python3 --version), $("$uv" --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  start_once baseline-first "$baseline" "$work/bf$i" PIP_CACHE_DIR="$work/bf$i/pip-cache"
done
start_once baseline-prime "$baseline" "$work/b0" PIP_CACHE_DIR="$work/pip-cache" >/dev/null
for i in $(seq "$runs"); do
  start_once baseline-new "$baseline" "$work/b$i" PIP_CACHE_DIR="$work/pip-cache"
done
for _ in $(seq "$runs"); do
  start_once baseline-resume "$baseline" "$work/b1" PIP_CACHE_DIR="$work/pip-cache"
done
for i in $(seq "$runs"); do
  start_once first "$jar" "$work/f$i" WAVESTORE_DEPENDENCY_CACHE="$work/f$i/cache" WAVESTORE_UV="$uv"
done
start_once prime "$jar" "$work/n0" WAVESTORE_DEPENDENCY_CACHE="$work/cache" WAVESTORE_UV="$uv" >/dev/null
for i in $(seq "$runs"); do
  start_once new "$jar" "$work/n$i" WAVESTORE_DEPENDENCY_CACHE="$work/cache" WAVESTORE_UV="$uv"
done
for _ in $(seq "$runs"); do
  start_once resume "$jar" "$work/n1" WAVESTORE_DEPENDENCY_CACHE="$work/cache" WAVESTORE_UV="$uv"
done
