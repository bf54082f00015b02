#!/usr/bin/env bash
# A local cluster of the store: N replicas on loopback ports in front of one PostgreSQL, with one blob
# directory, one instance root and one launcher-credential secret shared by all. See cluster-config/README.md.
#
#   cluster-config/local-cluster.sh start N     build the server, start PostgreSQL and replicas 1..N (default 3)
#   cluster-config/local-cluster.sh status      what runs, with URLs
#   cluster-config/local-cluster.sh stop        stop the replicas (gracefully), the instances' launchers, PostgreSQL
#   cluster-config/local-cluster.sh stop-replica I | kill-replica I | start-replica I
#                                               SIGTERM (graceful leave) / SIGKILL / start one replica again
#   cluster-config/local-cluster.sh clean       stop, then remove the cluster's directory (catalog, blobs, instances)
#
# Replica I (1-based) listens for HTTP on 127.0.0.1:(8080+I-1), Pekko remoting on 25520+I-1 and pekko-management on
# 8558+I-1 (other bases: WAVESTORE_LOCAL_CLUSTER_HTTP_PORT, _CLUSTER_PORT, _MANAGEMENT_PORT). Environment: WAVESTORE_LOCAL_CLUSTER_DIR (default ~/.cache/wavestore/local-cluster),
# WAVESTORE_LOCAL_CLUSTER_PG_PORT (15432), WAVESTORE_LOCAL_CLUSTER_SKIP_BUILD=1 (reuse the last build),
# WAVESTORE_LOCAL_CLUSTER_JAVA_OPTS (default -Xmx384m), and any WAVESTORE_* setting, passed on to every replica.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${WAVESTORE_LOCAL_CLUSTER_DIR:-$HOME/.cache/wavestore/local-cluster}
PG_PORT=${WAVESTORE_LOCAL_CLUSTER_PG_PORT:-15432}
JAVA_OPTS=${WAVESTORE_LOCAL_CLUSTER_JAVA_OPTS:--Xmx384m}
CLASSPATH_FILE=$BASE/classpath.txt
# Replica i's ports are these + i - 1. Override only when the defaults are taken (by another local cluster).
HTTP_BASE=${WAVESTORE_LOCAL_CLUSTER_HTTP_PORT:-8080}
CLUSTER_BASE=${WAVESTORE_LOCAL_CLUSTER_CLUSTER_PORT:-25520}
MANAGEMENT_BASE=${WAVESTORE_LOCAL_CLUSTER_MANAGEMENT_PORT:-8558}

die() { echo "local-cluster: $*" >&2; exit 1; }
log() { echo "local-cluster: $*"; }

http_port() { echo $((HTTP_BASE + $1 - 1)); }
cluster_port() { echo $((CLUSTER_BASE + $1 - 1)); }
replica_dir() { echo "$BASE/replica-$1"; }
replica_count() { cat "$BASE/replicas" 2>/dev/null || echo 0; }

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Something listens there already (another local cluster, another store): starting would talk to it instead.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_ports_free() {
  local n=$1 i port
  for ((i = 1; i <= n; i++)); do
    for port in "$(http_port "$i")" "$(cluster_port "$i")" $((MANAGEMENT_BASE + i - 1)); do
      port_taken "$port" && die "127.0.0.1:$port is in use (by another local cluster or store?); stop that first"
    done
  done
  return 0
}

# One build per start, into the worktree's target directories (never `install`: nothing lands in ~/.m2).
build() {
  if [[ ${WAVESTORE_LOCAL_CLUSTER_SKIP_BUILD:-0} == 1 && -s $CLASSPATH_FILE ]]; then
    log "reusing the last build ($CLASSPATH_FILE)"
    return
  fi
  log "building the server (./mvnw -pl modules/server -am package -DskipTests)..."
  (cd "$REPO" && ./mvnw -B -q -pl modules/server -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime) \
      || die "the build failed"
  local deps
  deps=$(cat "$REPO/modules/server/target/runtime-classpath.txt")
  echo "$REPO/modules/server/target/classes:$deps" > "$CLASSPATH_FILE"
}

# The embedded PostgreSQL the catalog ships with, run by cluster-config/LocalPostgres.java (a single-file program):
# nothing to install, and it runs as root too, where a plain initdb refuses.
start_postgres() {
  local pidfile=$BASE/postgres.pid
  if alive "$pidfile"; then
    log "PostgreSQL already runs on 127.0.0.1:$PG_PORT"
    return
  fi
  port_taken "$PG_PORT" && die "127.0.0.1:$PG_PORT is in use; set WAVESTORE_LOCAL_CLUSTER_PG_PORT"
  nohup java -Xmx64m -cp "$(cat "$CLASSPATH_FILE")" "$REPO/cluster-config/LocalPostgres.java" "$BASE/postgres" "$PG_PORT" \
      >>"$BASE/postgres.log" 2>&1 </dev/null &
  echo $! > "$pidfile"
  local deadline=$((SECONDS + 90))
  until grep -q "PostgreSQL ready on 127.0.0.1:$PG_PORT" "$BASE/postgres.log" 2>/dev/null; do
    alive "$pidfile" || die "PostgreSQL did not start; see $BASE/postgres.log"
    ((SECONDS < deadline)) || die "PostgreSQL did not start within 90 s; see $BASE/postgres.log"
    sleep 0.5
  done
  log "PostgreSQL on 127.0.0.1:$PG_PORT (data in $BASE/postgres)"
}

stop_postgres() {
  local pidfile=$BASE/postgres.pid
  alive "$pidfile" || return 0
  kill -TERM "$(cat "$pidfile")"
  local deadline=$((SECONDS + 60))
  while alive "$pidfile" && ((SECONDS < deadline)); do sleep 0.5; done
  log "PostgreSQL stopped"
}

credential_secret() {
  local file=$BASE/instance-credential.secret
  if [[ ! -s $file ]]; then
    (umask 077 && head -c 48 /dev/urandom | base64 -w0 > "$file")
  fi
  cat "$file"
}

seed_nodes() {
  local n=$1 i seeds=()
  for ((i = 1; i <= n; i++)); do
    seeds+=("pekko://wavestore@127.0.0.1:$(cluster_port "$i")")
  done
  (IFS=,; echo "${seeds[*]}")
}

start_replica() {
  local i=$1 n dir port
  n=$(replica_count)
  ((i >= 1 && i <= n)) || die "replica $i is not one of 1..$n"
  dir=$(replica_dir "$i")
  port=$(http_port "$i")
  if alive "$dir/pid"; then
    log "replica $i already runs (pid $(cat "$dir/pid"))"
    return
  fi
  port_taken "$port" && die "127.0.0.1:$port is in use; replica $i cannot listen there"
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  WAVESTORE_HTTP_PORT=$port \
  WAVESTORE_ROUTER_APPS_DOMAIN=${WAVESTORE_ROUTER_APPS_DOMAIN:-localhost} \
  WAVESTORE_CLUSTER_PORT=$(cluster_port "$i") \
  WAVESTORE_MANAGEMENT_PORT=$((MANAGEMENT_BASE + i - 1)) \
  WAVESTORE_CLUSTER_SEED_NODES=$(seed_nodes "$n") \
  WAVESTORE_DATA_DIR=$dir/data \
  WAVESTORE_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/wavestore \
  WAVESTORE_DB_USER=postgres \
  WAVESTORE_BLOB_DIR=$BASE/blobs \
  WAVESTORE_LOCAL_DIR=$BASE/instances \
  WAVESTORE_LOCAL_PIP_CACHE_DIR=${WAVESTORE_LOCAL_PIP_CACHE_DIR:-$HOME/.cache/wavestore/pip} \
  WAVESTORE_INSTANCE_CREDENTIAL_SECRET=$(credential_secret) \
  WAVESTORE_PUBLIC_URL=${WAVESTORE_PUBLIC_URL:-http://127.0.0.1:$port} \
    nohup java $JAVA_OPTS -Dconfig.file="$REPO/cluster-config/local.conf" -cp "$(cat "$CLASSPATH_FILE")" \
      io.wavestore.server.Main >>"$dir/replica.log" 2>&1 </dev/null &
  echo $! > "$dir/pid"
  log "replica $i starting (pid $!, log $dir/replica.log)"
}

# Ready when the replica answers its API (it listens only once its database, cluster and routes are up).
wait_ready() {
  local i=$1 port deadline
  port=$(http_port "$i")
  deadline=$((SECONDS + 180))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/apps"; do
    alive "$(replica_dir "$i")/pid" || die "replica $i exited; see $(replica_dir "$i")/replica.log"
    ((SECONDS < deadline)) || die "replica $i did not answer within 180 s; see $(replica_dir "$i")/replica.log"
    sleep 1
  done
  log "replica $i ready: http://127.0.0.1:$port/"
}

signal_replica() {
  local i=$1 signal=$2 pidfile
  pidfile=$(replica_dir "$i")/pid
  alive "$pidfile" || { log "replica $i is not running"; return 0; }
  kill "-$signal" "$(cat "$pidfile")"
  if [[ $signal == TERM ]]; then
    # Coordinated shutdown: leave the cluster, hand the shards over, unbind HTTP after requests in flight.
    local deadline=$((SECONDS + 60))
    while alive "$pidfile" && ((SECONDS < deadline)); do sleep 0.5; done
    alive "$pidfile" && { log "replica $i did not stop within 60 s; killing it"; kill -KILL "$(cat "$pidfile")"; }
  fi
  log "replica $i stopped ($signal)"
}

# Launchers outlive replicas by design (a restarted replica adopts them); stopping the whole cluster stops them too.
stop_launchers() {
  local pidfile pid
  for pidfile in "$BASE"/instances/*/launcher.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}

cmd_start() {
  local n=${1:-3} i
  [[ $n =~ ^[1-9][0-9]?$ ]] || die "start N: N must be a number of replicas (1-99)"
  mkdir -p "$BASE"
  if (( $(replica_count) > 0 )) && alive "$(replica_dir 1)/pid"; then
    die "a local cluster of $(replica_count) replicas runs already; stop it first"
  fi
  check_ports_free "$n"
  build
  echo "$n" > "$BASE/replicas"
  start_postgres
  # The first replica migrates the database and forms the cluster; the others join it.
  start_replica 1
  wait_ready 1
  for ((i = 2; i <= n; i++)); do start_replica "$i"; done
  for ((i = 2; i <= n; i++)); do wait_ready "$i"; done
  cmd_status
}

cmd_status() {
  local n i dir state
  n=$(replica_count)
  ((n > 0)) || { echo "no local cluster in $BASE"; return 0; }
  echo "local cluster in $BASE: $n replicas, PostgreSQL jdbc:postgresql://127.0.0.1:$PG_PORT/wavestore"
  for ((i = 1; i <= n; i++)); do
    dir=$(replica_dir "$i")
    if ! alive "$dir/pid"; then
      state="stopped"
    elif curl -sf -o /dev/null "http://127.0.0.1:$(http_port "$i")/api/v1/apps"; then
      state="up (pid $(cat "$dir/pid"))"
    else
      state="starting (pid $(cat "$dir/pid"))"
    fi
    printf '  replica %d: http://127.0.0.1:%d/  cluster 127.0.0.1:%d  management 127.0.0.1:%d  %s\n' \
      "$i" "$(http_port "$i")" "$(cluster_port "$i")" $((MANAGEMENT_BASE + i - 1)) "$state"
  done
}

cmd_stop() {
  local n i
  n=$(replica_count)
  for ((i = n; i >= 1; i--)); do signal_replica "$i" TERM; done
  stop_launchers
  stop_postgres
}

case ${1:-} in
  start) cmd_start "${2:-3}" ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  stop-replica) signal_replica "${2:?replica number}" TERM ;;
  kill-replica) signal_replica "${2:?replica number}" KILL ;;
  start-replica) start_replica "${2:?replica number}" && wait_ready "$2" ;;
  clean) cmd_stop; rm -rf "$BASE"; log "removed $BASE" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
