#!/usr/bin/env bash
# Shared functions of the load-test scripts. Source it; do not run it.
# Everything listens on and talks to 127.0.0.1 only. Every wait is bounded.
#
# Environment (defaults in brackets):
#   FG_PORT [18080]        HTTP port of the service the scripts start
#   FG_PG_PORT [25433]     port of the PostgreSQL the fault scripts start themselves; keep it
#                          below Linux's ephemeral range (32768-60999): under connection churn a
#                          client socket can hold a port there and the server cannot bind it
#   FG_OUT [load-tests/target/runs/<timestamp>]  where logs, records, metrics and audits go
#   FG_JAVA_OPTS []        extra JVM options of the service
#   FG_JAR [target/quarkus-app/quarkus-run.jar]  the packaged service to start
#   FG_QUIET_LOAD []       wait_quiet's threshold: 1-minute load average to wait for ("" = no wait)
#   FG_QUIET_WAIT [3600]   wait_quiet's bound in seconds; past it the measurement runs anyway

set -euo pipefail
LT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT_DIR="$(cd "$LT_DIR/.." && pwd)"
FG_PORT="${FG_PORT:-18080}"
FG_PG_PORT="${FG_PG_PORT:-25433}"
FG_OUT="${FG_OUT:-$LT_DIR/target/runs/$(date +%Y%m%d-%H%M%S)}"
FG_BASE_URL="http://127.0.0.1:$FG_PORT"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
PG_BIN=/usr/lib/postgresql/15/bin
mkdir -p "$FG_OUT"
SVC_PID=""
SVC_DB_URL=""
SAMPLER_PID=""

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$FG_OUT/suite.log" >&2; }

# Before a measurement that depends on speed: waits (bounded by FG_QUIET_WAIT) until the 1-minute
# load average is below FG_QUIET_LOAD, then logs the load it measures at. No threshold, no wait.
# An operator who knows better ends one wait early with `touch $FG_OUT/measure-now`.
wait_quiet() {
  local limit="${FG_QUIET_LOAD:-}" waited=0 bound="${FG_QUIET_WAIT:-3600}"
  if [ -n "$limit" ]; then
    log "waiting up to $bound s for a load average below $limit (touch $FG_OUT/measure-now to stop)"
    while awk -v l="$limit" '{exit !($1 >= l)}' /proc/loadavg && [ "$waited" -lt "$bound" ] \
      && [ ! -e "$FG_OUT/measure-now" ]; do
      sleep 15
      waited=$((waited + 15))
    done
    rm -f "$FG_OUT/measure-now"
  fi
  log "measuring after ${waited} s of waiting [load average $(cut -d' ' -f1-3 /proc/loadavg)]"
}

build_service() {
  if [ ! -f "$ROOT_DIR/target/quarkus-app/quarkus-run.jar" ]; then
    log "building the service"
    (cd "$ROOT_DIR" && { ./mvnw -q -o package -DskipTests -Dspotless.check.skip=true \
      || ./mvnw -q package -DskipTests -Dspotless.check.skip=true; })
  fi
  log "compiling the simulations"
  "$ROOT_DIR/mvnw" -q -f "$LT_DIR/pom.xml" -o test-compile 2>/dev/null \
    || "$ROOT_DIR/mvnw" -q -f "$LT_DIR/pom.xml" test-compile
}

# start_service NAME [VAR=value ...]  - starts the jar with the given environment and waits
# (at most 120 s) until /q/health/ready answers; sets SVC_PID and SVC_DB_URL.
start_service() {
  local name="$1"; shift
  local logf="$FG_OUT/service-$name.log"
  log "starting service ($name): $*"
  if curl -s -o /dev/null --max-time 2 "$FG_BASE_URL/q/health/live"; then
    log "something already listens on port $FG_PORT: stop it or set FG_PORT"; return 1
  fi
  # The benchmarks drive one token far past the default per-token rate limit on purpose: they
  # measure admission and the store, so the limit is off unless the caller sets it. Likewise the
  # SUBMITTED high-water check: api-only runs pile up a backlog on purpose.
  env FLOWGATE_ADMIN_TOKEN=bench-admin QUARKUS_HTTP_PORT="$FG_PORT" \
    FLOWGATE_RATE_LIMIT_ENABLED="${FLOWGATE_RATE_LIMIT_ENABLED:-false}" \
    FLOWGATE_BACKLOG_ADMISSION_HIGH_WATER="${FLOWGATE_BACKLOG_ADMISSION_HIGH_WATER:-0}" \
    QUARKUS_OTEL_EXPORTER_OTLP_ENABLED="${QUARKUS_OTEL_EXPORTER_OTLP_ENABLED:-false}" \
    "$@" java ${FG_JAVA_OPTS:-} -jar "${FG_JAR:-$ROOT_DIR/target/quarkus-app/quarkus-run.jar}" >>"$logf" 2>&1 &
  SVC_PID=$!
  local i
  for i in $(seq 1 240); do
    if curl -sf -o /dev/null --max-time 2 "$FG_BASE_URL/q/health/ready"; then break; fi
    if ! kill -0 "$SVC_PID" 2>/dev/null; then log "service exited; see $logf"; return 1; fi
    sleep 0.5
  done
  curl -sf -o /dev/null --max-time 2 "$FG_BASE_URL/q/health/ready" || { log "service not ready after 120 s"; return 1; }
  SVC_DB_URL=""
  local u
  u=$(grep -o 'postgresql://localhost:[0-9]*/postgres' "$logf" | tail -1 || true)
  if [ -n "$u" ]; then SVC_DB_URL="${u/localhost/127.0.0.1}"; fi
  for kv in "$@"; do case "$kv" in FLOWGATE_DB_URL=*) SVC_DB_URL="${kv#FLOWGATE_DB_URL=}";; esac; done
  log "service ($name) ready, pid $SVC_PID, db $SVC_DB_URL"
}

# stop_service [SIGNAL]  - TERM by default; waits at most 60 s, then KILL.
stop_service() {
  local sig="${1:-TERM}"
  [ -n "$SVC_PID" ] || return 0
  kill -s "$sig" "$SVC_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 120); do kill -0 "$SVC_PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$SVC_PID" 2>/dev/null; then log "service still up after 60 s: KILL"; kill -9 "$SVC_PID" 2>/dev/null || true; fi
  wait "$SVC_PID" 2>/dev/null || true
  log "service pid $SVC_PID stopped with $sig"
  SVC_PID=""
}

# PostgreSQL of our own (the fault scripts need a database that outlives the service).
# We run as root, so initdb/pg_ctl run in a user namespace (unshare -U), as an unprivileged user.
PG_DIR=""
start_pg() {
  PG_DIR="$FG_OUT/pg"
  if [ ! -d "$PG_DIR/data" ]; then
    mkdir -p "$PG_DIR"
    unshare -U "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust >"$PG_DIR/initdb.log" 2>&1
  fi
  if ! unshare -U "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $FG_PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null; then
    log "PostgreSQL did not start on port $FG_PG_PORT: $(grep -m1 -E 'FATAL|could not bind' "$PG_DIR/postgres.log")"
    return 1
  fi
  PG_URL="postgresql://127.0.0.1:$FG_PG_PORT/postgres"
  log "PostgreSQL up at $PG_URL"
}
restart_pg() {
  unshare -U "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 -m fast \
    -o "-p $FG_PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" restart >/dev/null
  log "PostgreSQL restarted"
}
stop_pg() {
  [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ] || return 0
  unshare -U "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
  log "PostgreSQL stopped"
}

# start_sampler NAME - samples queue depth and in-flight from /q/metrics every second (bounded:
# it stops by itself after FG_SAMPLER_MAX seconds, 1800 by default) into metrics-NAME.csv.
start_sampler() {
  local f="$FG_OUT/metrics-$1.csv"
  echo "epoch_ms,queue_depth,in_flight" >"$f"
  (
    end=$(( $(date +%s) + ${FG_SAMPLER_MAX:-1800} ))
    while [ "$(date +%s)" -lt "$end" ]; do
      m=$(curl -s --max-time 1 "$FG_BASE_URL/q/metrics" 2>/dev/null || true)
      d=$(echo "$m" | awk '/^flowgate_admission_queue_depth[ {]/{print $NF; exit}')
      q=$(echo "$m" | awk '/^flowgate_start_in_flight[ {]/{print $NF; exit}')
      echo "$(date +%s%3N),${d:-},${q:-}" >>"$f"
      sleep 1
    done
  ) &
  SAMPLER_PID=$!
}
stop_sampler() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
}

# run_sim CLASS NAME [-Dprop=value ...]  - runs one simulation; its record goes to
# $FG_OUT/record-NAME.jsonl and its console output to $FG_OUT/gatling-NAME.log. Returns 1 when
# Gatling failed: its set-up failed, it crashed, or one of the simulation's assertions failed.
run_sim() {
  local cls="$1" name="$2" rc=0; shift 2
  log "simulation $cls ($name) $* [load average: $(cut -d' ' -f1-3 /proc/loadavg)]"
  "$ROOT_DIR/mvnw" -q -o -f "$LT_DIR/pom.xml" gatling:test \
    -Dgatling.simulation="flowgate.load.$cls" \
    -Dflowgate.baseUrl="$FG_BASE_URL" \
    -Dflowgate.record="$FG_OUT/record-$name.jsonl" \
    "$@" >"$FG_OUT/gatling-$name.log" 2>&1 || rc=1
  grep -E 'request count|mean requests/sec|Global|KO' "$FG_OUT/gatling-$name.log" | head -8 >&2 || true
  [ "$rc" -eq 0 ] || log "gatling failed (set-up, crash or assertion): see gatling-$name.log"
  return "$rc"
}

# wait_for_load NAME - waits (at most 120 s) until the simulation has recorded its first answers,
# so that a fault is injected a known time after the load really started (Maven and Gatling take
# several seconds to start).
wait_for_load() {
  local f="$FG_OUT/record-$1.jsonl" i
  for i in $(seq 1 240); do
    [ -f "$f" ] && [ "$(wc -l <"$f")" -ge 2 ] && { log "load of $1 is running"; return 0; }
    sleep 0.5
  done
  log "no answer recorded by $1 after 120 s"; return 1
}

# audit NAME [DB_URL] - the no-drop audit of record-NAME.jsonl; returns its exit status.
audit() {
  local name="$1" db="${2:-$SVC_DB_URL}"
  log "audit $name against $db"
  local rc=0
  "$PY" "$LT_DIR/scripts/audit.py" --db "$db" --json "$FG_OUT/audit-$name.json" \
    "$FG_OUT/record-$name.jsonl" | tee "$FG_OUT/audit-$name.txt" >&2 || rc=$?
  [ "$rc" -eq 0 ] || rc=$(grep -q 'RESULT: FAIL' "$FG_OUT/audit-$name.txt" && echo 1 || echo 2)
  return "$rc"
}

# ensure_chart_tools - the charts need Debian's python3-matplotlib for /usr/bin/python3; installs
# it when missing and possible (root, apt reachable), else report.py prints its table only.
ensure_chart_tools() {
  "$PY" -c "import matplotlib" 2>/dev/null && return 0
  log "installing python3-matplotlib for the charts"
  { apt-get update -qq && apt-get install -y -qq python3-matplotlib; } >/dev/null 2>&1 \
    || log "python3-matplotlib could not be installed: the report will have no charts"
}

# --- CPU-cost helpers (cpu-cost.sh, tracing-cost.sh, jfr-profile.sh, growth.sh) ---

# write_keyed_lua PREFIX - $FG_OUT/keyed.lua: a wrk script that POSTs "{}" with a fresh
# Idempotency-Key (PREFIX-thread-counter-time) per request, as a careful client's would
write_keyed_lua() {
  sed "s/@PREFIX@/$1/" >"$FG_OUT/keyed.lua" <<'LUA'
local counter, thread_id = 0, 0
local next_id = 0
function setup(thread) next_id = next_id + 1; thread:set("tid", next_id) end
function init(args) thread_id = tid or 0 end
request = function()
  counter = counter + 1
  -- a headers table given to wrk.format replaces the -H ones: copy them in
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Idempotency-Key"] = "@PREFIX@-" .. thread_id .. "-" .. counter .. "-" .. os.time()
  return wrk.format("POST", nil, headers, "{}")
end
LUA
}

# embedded_postmaster LOGFILE - pid of the embedded PostgreSQL whose data directory the service
# logged in LOGFILE; nothing when there is none
embedded_postmaster() {
  local dir
  dir=$(grep -o 'data in [^ "]*' "$1" | tail -1 | cut -d' ' -f3)
  if [ -n "$dir" ] && [ -f "$dir/postmaster.pid" ]; then head -1 "$dir/postmaster.pid"; fi
}

# pg_ticks POSTMASTER_PID - user+system ticks of a PostgreSQL: the postmaster with the ticks of the
# backends it reaped, plus every live child (backends, WAL writer, checkpointer, autovacuum); 0
# without a pid
pg_ticks() {
  local pm="$1" total=0 c
  if [ -n "$pm" ] && [ -r "/proc/$pm/stat" ]; then
    total=$(awk '{print $14+$15+$16+$17}' "/proc/$pm/stat")
    for c in $(ps -o pid= --ppid "$pm"); do
      [ -r "/proc/$c/stat" ] && total=$((total + $(awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || echo 0)))
    done
  fi
  echo "$total"
}

# jvm_ticks PID - user+system ticks of a process
jvm_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

cleanup() {
  stop_sampler || true
  stop_service TERM || true
  stop_pg || true
}
