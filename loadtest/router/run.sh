#!/usr/bin/env bash
# The router benchmark (loadtest/router/README.md says what it measures and how to read it).
#
# One backend (backend/main.go: a 1 KiB HTTP answer and a WebSocket echo) is reached four ways in the same run:
# directly, through the Wavestore router, through nginx and through configurable-http-proxy (JupyterHub's proxy).
# HTTP with wrk; WebSockets with wsload/main.go. Everything listens on 127.0.0.1 only, every run is bounded.
#
#   loadtest/router/run.sh            # from the repository root; results in loadtest/router/target/results-*.md
#
# Knobs (environment): DURATION (10s per HTTP run), CONNS ("32 64" HTTP connections), WARM (60s of load on each
# target before it is measured), WS_CONNS (5000 open WebSockets), WS_ACTIVE (100 of them echoing), WS_DURATION (10s),
# TARGETS ("direct router nginx1 nginx2 chp": nginx with 1 and with 2 worker processes), SECTIONS ("http ws").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/target"
bin="$out/bin"
mkdir -p "$bin" "$out/nginx-tmp"

DURATION=${DURATION:-10s}
CONNS=${CONNS:-"32 64"}
WARM=${WARM:-60s}
WS_CONNS=${WS_CONNS:-5000}
WS_ACTIVE=${WS_ACTIVE:-100}
WS_DURATION=${WS_DURATION:-10s}
TARGETS=${TARGETS:-"direct router nginx1 nginx2 chp"}
SECTIONS=${SECTIONS:-"http ws"}
BACKEND_PORT=18180
ROUTER_PORT=18181
NGINX_PORT=18182
CHP_PORT=18183
CHP_API_PORT=18184
NGINX2_PORT=18185

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 1
  done
  echo "nothing answered at $1" >&2
  return 1
}

rss_kib() { # pid and its children
  local total=0
  for p in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# 20,000 WebSockets through the router are 40,000 sockets in one process: raise the limit where allowed (root).
ulimit -n 100000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

log "building the backend and the WebSocket load client (Go)"
(cd "$here/backend" && go build -o "$bin/backend" .)
(cd "$here/wsload" && go build -o "$bin/wsload" .)

if [[ ! -x "$out/chp/node_modules/.bin/configurable-http-proxy" ]]; then
  log "installing configurable-http-proxy from npm into $out/chp"
  npm install --prefix "$out/chp" --no-audit --no-fund --loglevel=error configurable-http-proxy@5 >/dev/null
fi

log "building the router's test classpath"
(cd "$root" && ./mvnw -B -q -pl modules/router -am test-compile dependency:build-classpath -Dweb.skip=true \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test)
cp_router="$root/modules/router/target/test-classes:$root/modules/router/target/classes:$(cat "$root/modules/router/target/test-classpath.txt")"

log "starting the backend on $BACKEND_PORT"
"$bin/backend" -listen "127.0.0.1:$BACKEND_PORT" >"$out/backend.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$BACKEND_PORT/" 10

log "starting the router on $ROUTER_PORT (cluster of one, sharded instance actor, embedded PostgreSQL)"
java -Xms256m -Xmx2g -cp "$cp_router" io.wavestore.router.bench.RouterBenchServer \
  "127.0.0.1:$BACKEND_PORT" "$ROUTER_PORT" >"$out/router.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q '^ROUTER ' "$out/router.log" && break; sleep 1; done
router_url=$(awk '/^ROUTER / {print $2}' "$out/router.log")
router_pid=$(awk '/^ROUTER / {print $4}' "$out/router.log")
[[ -n "$router_url" ]] || { cat "$out/router.log" >&2; exit 1; }

declare -A nginx_pid_of=()
for workers in 1 2; do
  port=$NGINX_PORT; [[ $workers == 2 ]] && port=$NGINX2_PORT
  log "starting nginx with $workers worker(s) on $port"
  sed -e "s#@OUT@#$out#g" -e "s#@PORT@#$port#g" -e "s#@BACKEND@#127.0.0.1:$BACKEND_PORT#g" -e "s#@WORKERS@#$workers#g" \
    "$here/nginx.conf.template" >"$out/nginx-$workers.conf"
  nginx -c "$out/nginx-$workers.conf" -e "$out/nginx-error.log" &
  pids+=($!)
  nginx_pid_of[$workers]=$!
  wait_for "http://127.0.0.1:$port/" 10
done

log "starting configurable-http-proxy on $CHP_PORT"
"$out/chp/node_modules/.bin/configurable-http-proxy" --ip 127.0.0.1 --port "$CHP_PORT" \
  --api-ip 127.0.0.1 --api-port "$CHP_API_PORT" --default-target "http://127.0.0.1:$BACKEND_PORT" \
  --log-level error >"$out/chp.log" 2>&1 &
pids+=($!)
chp_pid=$!
wait_for "http://127.0.0.1:$CHP_PORT/" 15

# The same path everywhere: the router's /instance/<id>/ (the backend answers every path alike).
# The router serves apps on their own origin (the bench's apps domain is "localhost").
path=${router_url#http://localhost:$ROUTER_PORT}
declare -A url=(
  [direct]="http://127.0.0.1:$BACKEND_PORT$path"
  [router]="http://localhost:$ROUTER_PORT$path"
  [nginx1]="http://127.0.0.1:$NGINX_PORT$path"
  [nginx2]="http://127.0.0.1:$NGINX2_PORT$path"
  [chp]="http://127.0.0.1:$CHP_PORT$path"
)
declare -A pid_of=([router]=$router_pid [nginx1]=${nginx_pid_of[1]} [nginx2]=${nginx_pid_of[2]} [chp]=$chp_pid)

results="$out/results-$(date +%Y%m%d-%H%M%S).md"
{
  echo "# Router benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r)"
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other builds)"
  echo "- java: $(java -version 2>&1 | head -1), router JVM -Xmx2g; nginx $(nginx -v 2>&1 | sed 's/.*\///');" \
       "configurable-http-proxy $("$out/chp/node_modules/.bin/configurable-http-proxy" --version) on node $(node --version);" \
       "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'); $(go version | awk '{print $3}')"
  echo
} >"$results"

wrk_run() { # target, connections, duration -> "rps p50 p99"
  local threads=2
  if (( $2 < 2 )); then threads=1; fi
  wrk -t"$threads" -c"$2" -d"$3" --latency "${url[$1]}" >"$out/wrk-$1-$2.txt" 2>&1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-$1-$2.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$out/wrk-$1-$2.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$out/wrk-$1-$2.txt")
  echo "$rps $p50 $p99"
}

declare -A rps_of=() p50_of=() ws_rate_of=()
live="-"

if [[ " $SECTIONS " == *" http "* ]]; then
{
  echo "## HTTP: GET of a 1 KiB answer, wrk (2 threads; 1 for 1 connection), $DURATION per run, each target warmed $WARM"
  echo
  header="| target |"; rule="| --- |"
  for c in $CONNS 1; do header="$header req/s at $c conns | p50 | p99 |"; rule="$rule --- | --- | --- |"; done
  echo "$header"
  echo "$rule"
} >>"$results"
to_us() { # wrk's 59.00us / 1.20ms / 1.00s -> microseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000; else print n }'
}
for t in $TARGETS; do
  log "HTTP: warming $t for $WARM"
  wrk -t2 -c64 -d"$WARM" "${url[$t]}" >/dev/null 2>&1
  row="| $t |"
  for c in $CONNS 1; do
    log "HTTP: $t at $c connections"
    read -r rps p50 p99 <<<"$(wrk_run "$t" "$c" "$DURATION")"
    row="$row $rps | $p50 | $p99 |"
    rps_of[$t,$c]=$rps
    p50_of[$t,$c]=$p50
  done
  echo "$row" >>"$results"
done

if [[ " $TARGETS " == *" router "* ]]; then
  # The store's own routes (the bench's stand-in API) through the data plane, and directly on their loopback port.
  store_via=$(awk '/^STORE / {print $2}' "$out/router.log")
  store_direct=$(awk '/^STORE / {print $3}' "$out/router.log")
  wrk -t2 -c32 -d10s "$store_via" >/dev/null 2>&1
  wrk -t2 -c32 -d10s "$store_direct" >/dev/null 2>&1
  {
    echo
    echo "The store's own routes (pekko-http), $DURATION at 32 connections and at 1:"
    echo
    echo "| store routes | req/s at 32 conns | p50 | p99 | req/s at 1 conn | p50 | p99 |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
  } >>"$results"
  for way in via direct; do
    u=$store_via; [[ $way == direct ]] && u=$store_direct
    url[store-$way]=$u
    read -r rps p50 p99 <<<"$(wrk_run "store-$way" 32 "$DURATION")"
    read -r rps1 p501 p991 <<<"$(wrk_run "store-$way" 1 "$DURATION")"
    echo "| $( [[ $way == via ]] && echo "through the data plane" || echo "directly (loopback port)" ) | $rps | $p50 | $p99 | $rps1 | $p501 | $p991 |" >>"$results"
  done
fi

fi

ws_url() { echo "ws://${url[$1]#http://}ws"; }

if [[ " $SECTIONS " == *" ws "* ]]; then
{
  echo
  echo "## WebSockets: echo round trips of 64-byte messages, $WS_DURATION"
  echo
  echo "| target | $WS_ACTIVE open, all echoing: msg/s | p50 | p99 | $WS_CONNS open: opened | of them $WS_ACTIVE echoing: msg/s | p50 | p99 | proxy RSS before | with $WS_CONNS open | per connection |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >>"$results"
heap_used_kib() { # the router JVM's live heap after a full GC
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  sleep 1
  jcmd "$1" GC.heap_info 2>/dev/null | sed -nE 's/.* used ([0-9]+)K.*/\1/p' | head -1
}

live="-"
for t in $TARGETS; do
  log "WebSockets: warming $t for $WARM"
  "$bin/wsload" -url "$(ws_url "$t")" -conns 50 -active 50 -duration "$WARM" >/dev/null 2>&1 || true
  log "WebSockets: $t, $WS_ACTIVE connections"
  small=$("$bin/wsload" -url "$(ws_url "$t")" -conns "$WS_ACTIVE" -active "$WS_ACTIVE" -duration "$WS_DURATION" | tail -1)
  read -r s_rate s_p50 s_p99 <<<"$(sed -E 's/.*: ([0-9]+) msg\/s round trips, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms.*/\1 \2 \3/' <<<"$small")"
  log "WebSockets: $t, $WS_CONNS connections"
  before="-"
  with="-"
  per="-"
  if [[ -n "${pid_of[$t]:-}" ]]; then
    if [[ $t == router ]]; then heap_before=$(heap_used_kib "$router_pid"); fi
    before=$(rss_kib "${pid_of[$t]}")
  fi
  "$bin/wsload" -url "$(ws_url "$t")" -conns "$WS_CONNS" -active "$WS_ACTIVE" -duration "$WS_DURATION" \
    -dial-concurrency 100 -hold 5s >"$out/wsload-$t.txt" 2>&1 &
  load=$!
  for _ in $(seq 1 240); do grep -q HOLDING "$out/wsload-$t.txt" && break; sleep 0.5; done
  sleep 2
  if [[ -n "${pid_of[$t]:-}" ]]; then
    with=$(rss_kib "${pid_of[$t]}")
    if [[ $t == router ]]; then
      heap_with=$(heap_used_kib "$router_pid")
      live="$(awk -v a="$heap_before" -v b="$heap_with" -v n="$WS_CONNS" 'BEGIN {printf "%.1f KiB", (b - a) / n}')"
    fi
    per=$(( (with - before) * 1024 / WS_CONNS ))
    before="$((before / 1024)) MiB"
    with="$((with / 1024)) MiB"
    per="$(awk -v b="$per" 'BEGIN {printf "%.1f KiB", b / 1024}')"
  fi
  wait "$load" || true
  opened=$(sed -nE 's/^opened ([0-9]+)\/.*/\1/p' "$out/wsload-$t.txt")
  big=$(tail -1 "$out/wsload-$t.txt")
  read -r b_rate b_p50 b_p99 <<<"$(sed -E 's/.*: ([0-9]+) msg\/s round trips, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms.*/\1 \2 \3/' <<<"$big")"
  echo "| $t | $s_rate | $s_p50 ms | $s_p99 ms | $opened | $b_rate | $b_p50 ms | $b_p99 ms | $before | $with | $per |" >>"$results"
  ws_rate_of[$t]=$s_rate
  sleep 3 # let the closed connections go
done

if [[ " $TARGETS " == *" router "* ]]; then
  log "WebSockets: ${WS_MAX:-20000} open on the router"
  # Each relayed WebSocket holds two of the router's file descriptors (browser and instance): counted while held.
  fds_before=$(ls "/proc/$router_pid/fd" | wc -l)
  "$bin/wsload" -url "$(ws_url router)" -conns "${WS_MAX:-20000}" -active "$WS_ACTIVE" -duration "$WS_DURATION" \
    -dial-concurrency 100 -hold 5s >"$out/wsload-router-max.txt" 2>&1 &
  load=$!
  for _ in $(seq 1 600); do grep -q HOLDING "$out/wsload-router-max.txt" && break; sleep 0.5; done
  fds_with=$(ls "/proc/$router_pid/fd" | wc -l)
  wait "$load" || true
  {
    echo
    echo "${WS_MAX:-20000} WebSockets open at once through the router: $(sed -n 's/^opened //p' "$out/wsload-router-max.txt");"
    echo "then $WS_ACTIVE of them echoing: $(sed -n 's/^echoes //p' "$out/wsload-router-max.txt")."
    echo "The router's open file descriptors: $fds_before before, $fds_with with them open" \
         "(limit $(awk '/open files/ {print $4}' "/proc/$router_pid/limits"))."
  } >>"$results"
fi

fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
if [[ " $TARGETS " == *" router "* && " $TARGETS " == *" nginx2 "* ]]; then
  {
    echo
    echo "## The router against nginx with 2 workers (as many as cores), from this run"
    echo
    for c in $CONNS; do
      echo "- HTTP req/s at $c connections: $(ratio "${rps_of[router,$c]:-0}" "${rps_of[nginx2,$c]:-0}")x nginx (2 workers)," \
           "$(ratio "${rps_of[router,$c]:-0}" "${rps_of[nginx1,$c]:-0}")x nginx (1 worker)"
    done
    if [[ " $TARGETS " == *" direct "* ]]; then
      direct=$(to_us "${p50_of[direct,1]:-0}")
      router_added=$(awk -v a="$(to_us "${p50_of[router,1]:-0}")" -v d="$direct" 'BEGIN { print a - d }')
      nginx_added=$(awk -v a="$(to_us "${p50_of[nginx2,1]:-0}")" -v d="$direct" 'BEGIN { print a - d }')
      echo "- added p50 at 1 connection: router +${router_added} µs, nginx (2 workers) +${nginx_added} µs:" \
           "$(ratio "$router_added" "$nginx_added")x"
    fi
    echo "- WebSocket echo msg/s at $WS_ACTIVE connections: $(ratio "${ws_rate_of[router]:-0}" "${ws_rate_of[nginx2]:-0}")x nginx (2 workers)"
  } >>"$results"
fi

{
  echo
  echo "Router JVM, live heap after a full GC, per open WebSocket: $live (RSS counts the heap the JVM has grown into,"
  echo "garbage included)."
  echo
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$results"
log "results in $results"
cat "$results"
