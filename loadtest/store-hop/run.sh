#!/usr/bin/env bash
# What the data plane's hop costs the store's own routes (loadtest/store-hop/README.md says how to read it).
#
# The real store on its embedded defaults (embedded PostgreSQL, filesystem blobs in a temp data dir, the development
# identity, free ports) with a few app versions uploaded through the API; then each realistic route is measured with
# wrk, directly on the store's loopback pekko-http port and through the public port (the Netty data plane), one after
# the other in the same run, each warmed before it is measured.
#
#   loadtest/store-hop/run.sh     # from the repository root; results in loadtest/store-hop/target/results-*.md
#
# Knobs (environment): WARM (30s of load at 32 connections before each measurement), DURATION (10s per wrk run),
# CONNS ("32 1"), WAYS ("direct dataplane": which is measured first for each route), ROUTES (a subset, by the names
# apps, index, asset, icon, me, patch, refused), SKIP_BUILD=1 (reuse the classpath a previous run built), BASELINE=<another checkout,
# e.g. main's> (a second store from that checkout runs beside this one, with the same data; the way "baseline" is its
# public port, so WAYS="direct baseline dataplane" compares before and after in one run).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/target"
WARM=${WARM:-30s}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-"32 1"}
WAYS=${WAYS:-"direct dataplane"}
ROUTES=${ROUTES:-"apps index asset icon me patch"}
mkdir -p "$out"

pids=()
data=$(mktemp -d)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

checkouts=("$root")
[[ -n ${BASELINE:-} ]] && checkouts+=("$(cd "$BASELINE" && pwd)")
if [[ -z ${SKIP_BUILD:-} ]]; then
  for checkout in "${checkouts[@]}"; do
    log "building the server (with its web UI) and its runtime classpath in $checkout"
    (cd "$checkout" && ./mvnw -B -q -pl modules/server -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
  done
fi
cp_bundle="$root/modules/bundle/target/classes:$(cat "$root/modules/bundle/target/classpath.txt")"

# start_store NAME CHECKOUT: sets ${NAME}_pid, ${NAME}_public and ${NAME}_direct (its loopback pekko-http port).
start_store() {
  local name=$1 checkout=$2 dir="$data/$1" port log="$out/store-$1.log" direct
  local cp="$checkout/modules/server/target/classes:$(cat "$checkout/modules/server/target/classpath.txt")"
  port=$(free_port)
  mkdir -p "$dir"
  log "starting the $name store from $checkout (data dir $dir, public port $port)"
  WAVESTORE_DATA_DIR="$dir" WAVESTORE_HTTP_PORT=$port WAVESTORE_MANAGEMENT_PORT=$(free_port) \
    WAVESTORE_CLUSTER_PORT=$(free_port) \
    java -Xms256m -Xmx2g -cp "$cp" io.wavestore.server.Main >"$log" 2>&1 &
  pids+=($!)
  printf -v "${name}_pid" '%s' $!
  for _ in $(seq 1 180); do
    grep -qs "the store's routes behind it at" "$log" && curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/me" && break
    sleep 1
  done
  direct=$(grep -o "the store's routes behind it at [0-9.]*:[0-9]*" "$log" | head -1 | sed 's/.*://')
  [[ -n $direct ]] || { echo "the $name store did not start; see $log" >&2; exit 1; }
  printf -v "${name}_public" '%s' "$port"
  printf -v "${name}_direct" '%s' "$direct"
  log "$name store: public port $port, its pekko-http routes at 127.0.0.1:$direct"
}
start_store this "$root"
store_pid=$this_pid public_port=$this_public direct_port=$this_direct
[[ -n ${BASELINE:-} ]] && start_store baseline "${checkouts[1]}"

# A few app versions: hello-wave 0.1.0..0.1.4 and package-wave, packed and uploaded through the API.
for v in 0 1 2 3 4; do
  mkdir -p "$data/src-$v" && cp -r "$root/examples/hello-wave/." "$data/src-$v/"
  sed -i "s/^Version = .*/Version = \"0.1.$v\"/" "$data/src-$v/app.toml"
done
cp -r "$root/examples/package-wave" "$data/src-pkg"
for src in "$data"/src-*; do
  java -cp "$cp_bundle" io.wavestore.bundle.PackCommand "$src" "$src.wave" >/dev/null
  for port in $public_port ${baseline_public:-}; do
    curl -sf -o /dev/null -X POST --data-binary @"$src.wave" -H 'Content-Type: application/zip' \
      "http://127.0.0.1:$port/api/v1/apps?visibility=ALL_USERS"
  done
done
base="http://127.0.0.1:$public_port"
asset=$(curl -sf "$base/" | grep -o '/assets/[^"]*\.js' | head -1)
[[ -n $asset ]] || { echo "no JS asset in index.html (was the server built with -Dweb.skip=true?)" >&2; exit 1; }
icon=$(curl -sf "$base/api/v1/apps?latest=true" | grep -o '"icon[^"]*":"[^"]*"' | head -1 | sed 's/.*:"//; s/"$//; s#^https\?://[^/]*##')
[[ -n $icon ]] || icon=/api/v1/apps/io.wavestore.hello-wave/0.1.4/icon
declare -A route_of=([apps]=/api/v1/apps [index]=/ [asset]=$asset [icon]=$icon [me]=/api/v1/me
  [patch]=/api/v1/apps/io.wavestore.hello-wave/0.1.0 [refused]=/api/v1/apps/io.wavestore.hello-wave/0.1.0)
# Routes with a body: its method and JSON body (wrk sends them through a script). patch: a small JSON body that
# changes an app version to the visibility it has (a real write: the row and the activity history), 200. refused:
# the same with a visibility that does not exist, refused by the routes with a 400 problem before any work (the
# cheapest request with a body: its non-2xx column counts every answer).
declare -A method_of=([patch]=PATCH [refused]=PATCH)
declare -A body_of=([patch]='{"visibility":"ALL_USERS"}' [refused]='{"visibility":"NOPE"}')
routes=() scripts=()
for name in $ROUTES; do
  routes+=("${route_of[$name]}")
  script=""
  if [[ -n ${method_of[$name]:-} ]]; then
    script="$out/$name.lua"
    printf 'wrk.method = "%s"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' \
      "${method_of[$name]}" "${body_of[$name]}" >"$script"
  fi
  scripts+=("$script")
done
names=($ROUTES)
status() { # url, index of the route
  local name=${names[$2]} args=()
  [[ -n ${method_of[$name]:-} ]] && args=(-X "${method_of[$name]}" -H 'Content-Type: application/json' --data "${body_of[$name]}")
  curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "$1"
}
for i in "${!routes[@]}"; do
  r=${routes[$i]}
  printf '%s: direct %s, data plane %s, %s bytes%s\n' "$r" \
    "$(status "http://127.0.0.1:$direct_port$r" "$i")" "$(status "$base$r" "$i")" "$(curl -s "$base$r" | wc -c)" \
    "${baseline_public:+, baseline $(status "http://127.0.0.1:$baseline_public$r" "$i")}" >&2
done

# CPU time (clock ticks) the store's process spent, all its threads or those of the data plane's event loops: a cost
# per request that the other work on the machine inflates far less than it does throughput.
cpu_ticks() { # pid [thread name prefix]
  local sum=0 t pid=$1
  shift
  if [[ -z ${1:-} ]]; then # the whole process, threads that ended since included (summing the live ones would not)
    read -r -a f <<<"$(sed 's/.*) //' /proc/"$pid"/stat)"
    echo $(( f[11] + f[12] ))
    return
  fi
  for t in /proc/"$pid"/task/*; do
    [[ -z ${1:-} || $(cat "$t/comm" 2>/dev/null) == "$1"* ]] || continue
    read -r -a f <<<"$(sed 's/.*) //' "$t/stat" 2>/dev/null)" || continue
    (( ${#f[@]} > 12 )) || continue
    sum=$(( sum + f[11] + f[12] )) # utime, stime: fields 14 and 15 of stat, counted after the thread's "(name) "
  done
  echo "$sum"
}
hz=$(getconf CLK_TCK)

wrk_run() { # url, connections, store pid, [wrk script] -> "rps p50 p99 cpu-µs-per-request front-µs-per-request non2xx"
  local threads=2 f="$out/wrk.txt" all front
  (( $2 < 2 )) && threads=1
  all=$(cpu_ticks "$3"); front=$(cpu_ticks "$3" wavestore-data-)
  wrk -t"$threads" -c"$2" -d"$DURATION" --latency ${4:+-s "$4"} "$1" >"$f" 2>&1
  all=$(( $(cpu_ticks "$3") - all )); front=$(( $(cpu_ticks "$3" wavestore-data-) - front ))
  local n; n=$(awk '/requests in/ {print $1}' "$f")
  echo "$(awk '/Requests\/sec/ {print $2}' "$f") $(awk '$1 == "50%" {print $2}' "$f") $(awk '$1 == "99%" {print $2}' "$f")" \
    "$(( all * 1000000 / hz / ${n:-1} )) $(( front * 1000000 / hz / ${n:-1} ))" "$(awk '/Non-2xx/ {print $NF}' "$f")"
}

results="$out/results-$(date -u +%Y%m%d-%H%M%S).md"
{
  echo "# The store's routes: directly vs through the data plane ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(java -version 2>&1 | head -1), -Xmx2g"
  echo "- each row warmed $WARM at 32 connections right before it is measured; $DURATION per wrk run (2 threads; 1 for 1 connection)"
  [[ -n ${BASELINE:-} ]] && echo "- dataplane: this checkout ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?)); baseline: the data plane of $BASELINE ($(git -C "$BASELINE" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")), same data, side by side"
  echo
  echo "- CPU µs/req: the store process's CPU time (all threads; of which the data plane's event loops) per request"
  echo
  echo "| route | way | req/s, 32 conns | p50 | p99 | CPU µs/req (front) | req/s, 1 conn | p50 | p99 | CPU µs/req (front) | non-2xx |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$results"
for i in "${!routes[@]}"; do
  r=${routes[$i]} script=${scripts[$i]}
  for way in $WAYS; do
    u="$base$r" pid=$store_pid
    [[ $way == direct ]] && u="http://127.0.0.1:$direct_port$r"
    [[ $way == baseline ]] && u="http://127.0.0.1:$baseline_public$r" pid=$baseline_pid
    log "$r $way: warming $WARM"
    wrk -t2 -c32 -d"$WARM" ${script:+-s "$script"} "$u" >/dev/null 2>&1
    row="| ${method_of[${names[$i]}]:-GET} \`$r\` | $way |"
    bad=""
    for c in $CONNS; do
      read -r rps p50 p99 cpu front non2xx <<<"$(wrk_run "$u" "$c" "$pid" "$script")"
      row="$row $rps | $p50 | $p99 | $cpu ($front) |"
      bad="$bad${non2xx:-0} "
    done
    echo "$row $bad|" >>"$results"
    log "$row"
  done
done
echo >>"$results"
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
cat "$results"
