#!/usr/bin/env bash
# Growth runs on the packaged jar (api role) and a PostgreSQL of its own: for each size in
# FG_GROWTH_SIZES (finished instances already in workflow_instance, loaded with SQL, not through
# the API) it measures start throughput and latency with wrk, the CPU of the JVM and of every
# PostgreSQL process per start (from /proc: holds on a shared machine), the disk per instance
# (workflow_instance with its indexes) and the retention job's deletion cost per batch and per
# instance (backend CPU), and at one size the claim cost versus backlog.
# It refuses to start without room for the largest size, and removes its database on exit.
# A 0 after the first size empties the table and measures again, e.g. "0 50000000 0": the empty
# figure taken under the same conditions as the large one.
#
# Environment (defaults in brackets): FG_GROWTH_SIZES ["0 5000000 50000000"],
# FG_GROWTH_DURATION [20] seconds of measured load per size, FG_GROWTH_WARMUP [20],
# FG_GROWTH_CONNECTIONS [64], FG_GROWTH_CLAIM_BACKLOGS ["1000 10000 100000 1000000"] ("" skips)
# measured at FG_GROWTH_CLAIM_AT [the second size],
# plus those of lib.sh (FG_PG_PORT, FG_PORT, FG_OUT; FG_QUIET_LOAD to wait for a quiet machine
# before each size's measurement). Loopback only.
# Output: $FG_OUT/growth.csv, $FG_OUT/growth.txt.
source "$(dirname "$0")/lib.sh"
SIZES="${FG_GROWTH_SIZES:-0 5000000 50000000}"
DUR="${FG_GROWTH_DURATION:-20}"
WARMUP="${FG_GROWTH_WARMUP:-20}"
CONN="${FG_GROWTH_CONNECTIONS:-64}"
BACKLOGS="${FG_GROWTH_CLAIM_BACKLOGS-1000 10000 100000 1000000}"
CLAIM_AT="${FG_GROWTH_CLAIM_AT:-$(echo "$SIZES" | awk '{print $2}')}"
R="$LT_DIR/retention"
TICK=$(getconf CLK_TCK)
CSV="$FG_OUT/growth.csv"
TXT="$FG_OUT/growth.txt"
# the data directory goes with the run: stop everything and delete it whatever happens
trap 'cleanup; [ -n "$PG_DIR" ] && rm -rf "$PG_DIR/data"; true' EXIT

if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null || { log "wrk is missing"; exit 2; }
fi
[ -f "$ROOT_DIR/target/quarkus-app/quarkus-run.jar" ] || build_service

# ~470 bytes per instance in workflow_instance, twice that while the indexes are rebuilt
case "$SIZES" in
  0\ *) ;;
  *) log "FG_GROWTH_SIZES must begin with 0: the empty run lets the service migrate the schema"; exit 2 ;;
esac
largest=$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1)
need_kb=$(( largest * 1000 / 1024 + 2 * 1024 * 1024 ))
free_kb=$(df -Pk "$FG_OUT" | awk 'NR==2{print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
  log "needs $((need_kb / 1024 / 1024)) GB free under $FG_OUT for $largest instances, has $((free_kb / 1024 / 1024)) GB"
  exit 2
fi

PG_OPTS_RUN="-c shared_buffers=1GB -c max_wal_size=8GB"
PG_OPTS_LOAD="-c shared_buffers=1GB -c max_wal_size=8GB -c wal_level=minimal -c max_wal_senders=0 -c fsync=off -c synchronous_commit=off"
pg_with() { # restart with the given settings
  unshare -U "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 300 -m fast \
    -o "-p $FG_PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 $1" restart >/dev/null
}
start_pg
pg_with "$PG_OPTS_RUN"
psql "postgresql://postgres@127.0.0.1:$FG_PG_PORT/postgres" -qc "create database flowgate"
DB="postgresql://postgres@127.0.0.1:$FG_PG_PORT/flowgate"
export PGURL="$DB"

# "JVM PG" ticks: the service's JVM; the postmaster (with the ticks of the children it reaped)
# plus its live children (backends, WAL writer, checkpointer, autovacuum)
cpu_ticks() { echo "$(jvm_ticks "$SVC_PID") $(pg_ticks "$(head -1 "$PG_DIR/data/postmaster.pid")")"; }
admin() { curl -sf --max-time 10 -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }
write_keyed_lua growth

measure_starts() { # SIZE -> appends to CSV
  local size="$1" jb pb ja pa out req non2xx p99 rps jus pus
  wait_quiet
  start_service "growth-$size" FLOWGATE_ROLES=api QUARKUS_OTEL_SDK_DISABLED=true FLOWGATE_DB_URL="postgresql://127.0.0.1:$FG_PG_PORT/flowgate"
  local p w
  p=$(admin -d "{\"name\":\"growth-$size-$(date +%s)\"}" "$FG_BASE_URL/api/v1/projects" | sed 's/.*"code":\([0-9]*\).*/\1/')
  w=$(admin -d '{"name":"one-noop","tasks":[{"code":"only","type":"NOOP"}],"edges":[]}' \
    "$FG_BASE_URL/api/v1/projects/$p/workflows" | sed 's/.*"code":\([0-9]*\).*/\1/')
  admin -X POST "$FG_BASE_URL/api/v1/projects/$p/workflows/$w/release" >/dev/null
  local url="$FG_BASE_URL/api/v1/projects/$p/workflows/$w/instances"
  wrk -t2 -c"$CONN" -d"${WARMUP}s" --timeout 15s -s "$FG_OUT/keyed.lua" \
    -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$url" >/dev/null
  read -r jb pb < <(cpu_ticks)
  out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 15s --latency -s "$FG_OUT/keyed.lua" \
    -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$url")
  read -r ja pa < <(cpu_ticks)
  echo "$out" >"$FG_OUT/wrk-growth-$size.txt"
  stop_service TERM
  req=$(echo "$out" | awk '/requests in/{print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  jus=$(awk -v t="$((ja - jb))" -v r="$req" -v hz="$TICK" 'BEGIN{ if (r>0) printf "%.0f", t*1e6/hz/r; else print "n/a" }')
  pus=$(awk -v t="$((pa - pb))" -v r="$req" -v hz="$TICK" 'BEGIN{ if (r>0) printf "%.0f", t*1e6/hz/r; else print "n/a" }')
  echo "$size,$req,${non2xx:-0},$rps,$p99,$jus,$pus,$(cut -d' ' -f1 /proc/loadavg)" >>"$CSV"
  log "size $size: $rps starts/s, p99 $p99, CPU per start: JVM $jus µs, PostgreSQL $pus µs, ${non2xx:-0} non-2xx"
}

load_rows() { # SIZE (0: empty the table again)
  if [ "$1" -eq 0 ]; then
    psql "$DB" -qc "truncate workflow_instance cascade" -c "vacuum analyze workflow_instance"
    log "workflow_instance emptied"
    return
  fi
  log "loading $1 finished instances [load average $(cut -d' ' -f1-3 /proc/loadavg)]"
  pg_with "$PG_OPTS_LOAD"
  local t0=$(date +%s)
  psql "$DB" -q -v n="$1" -f "$R/bulk-load.sql" >/dev/null
  local t1=$(date +%s)
  psql "$DB" -qc "vacuum (freeze, analyze) workflow_instance"
  pg_with "$PG_OPTS_RUN"
  log "loaded $1 in $((t1 - t0)) s, vacuumed in $(( $(date +%s) - t1 )) s"
}

deletion_cost() { # SIZE -> lines of growth.txt
  local b
  for b in 1000 5000; do
    echo "size $1 delete batch $b: $("$R/cpu-per-batch.sh" "$R/delete-batch.sql" "$b" 5)"
  done
}

# the master's claim (claim.sql: InstanceClaimer.CLAIM, rolled back) against SUBMITTED backlogs
claim_cost() { # SIZE
  for n in $BACKLOGS; do
    psql "$DB" -qc "update workflow_instance set state = 'SUCCESS', ended_at = now() where state = 'SUBMITTED'" \
      -c "insert into workflow_instance (project_code, workflow_code, workflow_version, state,
            priority, failure_strategy, idempotency_key, request_id, request_fingerprint)
          select 1, 2, 1, 'SUBMITTED', 'MEDIUM', 'END', 'b-' || gen_random_uuid(), gen_random_uuid(), 'f'
            from generate_series(1, $n)" -c "analyze workflow_instance"
    echo "size $1 claim 200, backlog $n: $("$R/cpu-per-batch.sh" "$R/claim.sql" 200 10)" | tee -a "$TXT"
  done
}

echo "size,requests,non2xx,starts_per_s,p99,jvm_cpu_us_per_start,pg_cpu_us_per_start,load1" >"$CSV"
: >"$TXT"
first=1
for size in $SIZES; do
  [ "$first" = 1 ] || load_rows "$size"
  first=0
  if [ "$size" -gt 0 ]; then
    bytes=$(psql "$DB" -At -c "select pg_total_relation_size('workflow_instance')")
    echo "size $size: workflow_instance with indexes $bytes bytes, $((bytes / size)) per instance" | tee -a "$TXT"
  fi
  measure_starts "$size"
  [ "$size" -eq 0 ] || deletion_cost "$size" | tee -a "$TXT"
  [ "$size" != "$CLAIM_AT" ] || claim_cost "$size"
done

cat "$CSV" >>"$TXT"
log "growth: $TXT"
