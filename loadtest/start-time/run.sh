#!/usr/bin/env bash
# Instance start time through the store: today's store (BASELINE, a commit) and this checkout, side by side in one run.
#
# Each store runs on its embedded defaults (as the README's run command runs it: embedded PostgreSQL, filesystem blobs,
# the development identity, local launcher processes in bubblewrap) in a data directory of its own on free ports, with
# uv on PATH. examples/hello-wave is packed and uploaded; measure.py then times, from the API request until the API
# shows RUNNING (polled every 25 ms): the first instance (nothing cached), one warm-up start, RUNS new instances of
# the same app version (requirements installed before) and RUNS resumes of the first instance after a suspend.
# loadtest/instance-start-time.md reports the figures.
#
#   loadtest/start-time/run.sh        # from a clone; results in loadtest/start-time/target/results-*.txt
#
# Knobs (environment): BASELINE (78360ea), RUNS (5), UV (the uv binary; default: on PATH, else the tests' cache
# ~/.cache/wavestore/uv-venv/bin/uv), SKIP_BUILD=1 (reuse both builds of an earlier run), STORES ("baseline current"),
# MEASURE (measure.py; breakdown.py: where each start's time goes, milestone by milestone).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/target"
BASELINE=${BASELINE:-78360ea}
RUNS=${RUNS:-5}
STORES=${STORES:-"baseline current"}
MEASURE=${MEASURE:-measure.py}
uv=${UV:-$(command -v uv || echo "$HOME/.cache/wavestore/uv-venv/bin/uv")}
[[ -x $uv ]] || { echo "no uv at $uv: set UV, or pip install uv" >&2; exit 1; }
mkdir -p "$out"
results="$out/results-$(date -u +%Y%m%dT%H%M%SZ).txt"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
build() {
  (cd "$1" && ./mvnw -B -q -pl modules/server -am package dependency:build-classpath -DskipTests -Dweb.skip=true \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
}

if [[ -z ${SKIP_BUILD:-} ]]; then
  log "building this checkout"
  build "$root"
  log "building the baseline $BASELINE in $out/baseline"
  rm -rf "$out/baseline" && mkdir -p "$out/baseline"
  git -C "$root" archive "$BASELINE" | tar -x -C "$out/baseline"
  build "$out/baseline"
fi

store_pid=""
data=""
# The store leaves launchers running when it stops (a restarted store adopts them): stop them by their pid files.
cleanup() {
  if [[ -n $store_pid ]]; then
    kill "$store_pid" 2>/dev/null || true
    wait "$store_pid" 2>/dev/null || true
  fi
  if [[ -n $data ]]; then
    for pidfile in "$data"/instances/*/launcher.pid; do
      if [[ -f $pidfile ]]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    rm -rf "$data"
  fi
  store_pid="" data=""
}
trap cleanup EXIT

# measure_store <label> <checkout>: one store, from its start to its stop; appends its lines to $results.
measure_store() {
  local label="$1" dir="$2" port
  data=$(mktemp -d /tmp/wavestore-start-time.XXXXXX)
  chmod 755 "$data"
  port=$(free_port)
  log "$label: starting the store (data dir $data, port $port)"
  PATH="$(dirname "$uv"):$PATH" WAVESTORE_DATA_DIR="$data" WAVESTORE_HTTP_PORT=$port \
    WAVESTORE_PUBLIC_URL="http://127.0.0.1:$port" WAVESTORE_MANAGEMENT_PORT=$(free_port) WAVESTORE_CLUSTER_PORT=$(free_port) \
    java -Xms256m -Xmx2g -cp "$dir/modules/server/target/classes:$(cat "$dir/modules/server/target/classpath.txt")" \
    io.wavestore.server.Main >"$out/store-$label.log" 2>&1 &
  store_pid=$!
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/me" && break
    kill -0 "$store_pid" 2>/dev/null || { echo "the store stopped; see $out/store-$label.log" >&2; exit 1; }
    sleep 0.5
  done
  java -cp "$dir/modules/bundle/target/classes:$(cat "$dir/modules/bundle/target/classpath.txt")" \
    io.wavestore.bundle.PackCommand "$root/examples/hello-wave" "$data/hello.wave" >/dev/null
  curl -sf -o /dev/null -X POST --data-binary @"$data/hello.wave" -H 'Content-Type: application/zip' \
    "http://127.0.0.1:$port/api/v1/apps?visibility=ALL_USERS"
  DATA_DIR="$data" python3 "$here/$MEASURE" "http://127.0.0.1:$port" "$label" "$RUNS" "$RUNS" | tee -a "$results"
  cleanup
}

echo "# $(nproc) cores, $(uname -m), $(python3 --version), $("$uv" --version), $(java -version 2>&1 | head -1)," \
  "baseline $BASELINE, current $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes')," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$results"
for label in $STORES; do
  case $label in
    baseline) measure_store baseline "$out/baseline" ;;
    current) measure_store current "$root" ;;
  esac
done

# Medians per store and scenario, with the load averages met.
echo "# medians (ms): store scenario median [all] load min-max" | tee -a "$results"
python3 - "$results" <<'PY' | tee -a "$results"
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 5 and parts[3] == "load":
        runs.setdefault((parts[0], parts[1]), []).append((int(parts[2]), float(parts[4])))
for (store, scenario), seen in runs.items():
    ms = [m for m, _ in seen]
    loads = [l for _, l in seen]
    print(f"{store} {scenario} {statistics.median(ms):.0f} {ms} load {min(loads)}-{max(loads)}")
PY
log "results in $results"
