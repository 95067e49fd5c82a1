#!/usr/bin/env bash
# Database transactions per completed instance of a one-task workflow, every role in one process,
# counted from pg_stat_database.xact_commit deltas: a count, not a timing, so it holds on a shared
# machine. Fallback polling, heartbeats, the reconciler and the backlog gauges are slowed to an
# hour and retention is off, so that mostly the work an instance causes (start, claims, dispatch,
# run, reports, completion, NOTIFYs) is counted.
#
# Two figures:
#   trickle: FG_TX_TRICKLE [30] starts one after the other, each waited for until it is final:
#            every batch holds one instance (the worst case, and a deterministic count);
#   burst:   FG_TX_BURST [1000] starts from 32 concurrent clients (hey -n), then waited for: the
#            engine's batches fill up (the count depends on how full they got).
# FG_TX_TASK [NOOP] is the task's type: NOOP (run inline by the master) or WAIT (a zero-second
# wait, run by a worker: the path of every non-inline task). Settings such as
# FLOWGATE_WORKER_COMPLETE_INSTANCES=false pass through the environment to the service.
# Our own probes (one psql statement each = one commit) are counted and subtracted; an idle
# calibration with the same number of probes and the same settling pause is subtracted too.
# Output: $FG_OUT/engine-txcount.txt. Only 127.0.0.1 is ever contacted.
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
TRICKLE="${FG_TX_TRICKLE:-30}"
BURST="${FG_TX_BURST:-1000}"
TASK="${FG_TX_TASK:-NOOP}"
case "$TASK" in
  NOOP) TASK_JSON='{"code":"only","type":"NOOP"}' ;;
  WAIT) TASK_JSON='{"code":"only","type":"WAIT","params":{"seconds":0}}' ;;
  *) log "FG_TX_TASK must be NOOP or WAIT, not $TASK"; exit 2 ;;
esac
SETTLE=12 # PostgreSQL flushes an idle backend's counters within 10 s
OUT="$FG_OUT/engine-txcount.txt"
command -v psql >/dev/null || { log "psql is needed (Debian package postgresql-client)"; exit 2; }
command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; } || { log "hey is missing"; exit 2; }
[ -f "$ROOT_DIR/target/quarkus-app/quarkus-run.jar" ] || build_service

admin() { curl -sf --max-time 10 -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }
PROBE_FILE="$FG_OUT/txcount-probes"
# counted in a file: most probes run in a $(...) subshell
sql() { echo >>"$PROBE_FILE"; psql -qtA "$SVC_DB_URL?user=postgres" -c "$1"; }
reset_probes() { : >"$PROBE_FILE"; }
probes() { wc -l <"$PROBE_FILE"; }
commits() { sql "select sum(xact_commit) from pg_stat_database"; }
unfinished() { sql "select count(*) from workflow_instance where project_code = $PROJECT and state not in ('SUCCESS','FAILURE','STOPPED')"; }
succeeded() { sql "select count(*) from workflow_instance where project_code = $PROJECT and state = 'SUCCESS'"; }

prepare_workflow() {
  PROJECT=$(admin -d "{\"name\":\"tx-$(date +%s%N)\"}" "$FG_BASE_URL/api/v1/projects" | sed 's/.*"code":\([0-9]*\).*/\1/')
  WORKFLOW=$(admin -d "{\"name\":\"one-task\",\"tasks\":[$TASK_JSON],\"edges\":[]}" \
    "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows" | sed 's/.*"code":\([0-9]*\).*/\1/')
  admin -X POST "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows/$WORKFLOW/release" >/dev/null
  START="$FG_BASE_URL/api/v1/projects/$PROJECT/workflows/$WORKFLOW/instances"
}
wait_all_final() { # bounded: 600 probes
  for _ in $(seq 1 600); do [ "$(unfinished)" = 0 ] && return 0; sleep 0.2; done
  log "instances still unfinished after 120 s"; exit 1
}

start_service txcount FLOWGATE_ROLES=api,master,worker QUARKUS_OTEL_SDK_DISABLED=true \
  FLOWGATE_MASTER_POLL_INTERVAL=1h FLOWGATE_WORKER_POLL_INTERVAL=1h \
  FLOWGATE_MASTER_LEASE=2h FLOWGATE_MASTER_HEARTBEAT=1h \
  FLOWGATE_WORKER_LEASE=2h FLOWGATE_WORKER_HEARTBEAT=1h FLOWGATE_RECONCILER_INTERVAL=1h \
  FLOWGATE_RETENTION_ENABLED=false FLOWGATE_BACKLOG_INTERVAL=1h
prepare_workflow
# warm-up: caches (definition, DAG, token) filled, prepared statements made
for _ in 1 2 3; do admin -d '{}' "$START" >/dev/null; done
wait_all_final
sleep "$SETTLE"

# idle calibration: the same probes and pause with nothing started
reset_probes; c0=$(commits)
for _ in $(seq 1 "$TRICKLE"); do unfinished >/dev/null; done
sleep "$SETTLE"; c1=$(commits); idle=$((c1 - c0 - $(probes) + 1))

# trickle: one instance at a time
reset_probes; c2=$(commits)
for _ in $(seq 1 "$TRICKLE"); do
  admin -d '{}' "$START" >/dev/null || { log "a start failed"; exit 1; }
  wait_all_final
done
sleep "$SETTLE"; c3=$(commits)
trickle_tx=$((c3 - c2 - $(probes) + 1 - idle))

# burst: concurrent starts, batches fill up
prepare_workflow
reset_probes; c4=$(commits)
hey -n "$BURST" -c 32 -m POST -T application/json -d '{}' -H "Authorization: Bearer bench-admin" \
  "$START" >"$FG_OUT/hey-txcount-burst.txt" 2>&1
wait_all_final
sleep "$SETTLE"; c5=$(commits)
done_burst=$(succeeded)
burst_tx=$((c5 - c4 - $(probes) + 1 - idle))
grep -q "\[201\]" "$FG_OUT/hey-txcount-burst.txt" || { log "the burst got no 201"; exit 1; }
{
  echo "transactions per completed one-$TASK instance (pg_stat_database.xact_commit), all roles:"
  echo "  idle calibration: $idle commits not caused by us"
  echo "  trickle ($TRICKLE instances, one at a time): $trickle_tx commits =" \
    "$(awk -v t="$trickle_tx" -v n="$TRICKLE" 'BEGIN{printf "%.2f", t/n}') per instance"
  echo "  burst ($BURST starts, 32 clients; $done_burst SUCCESS): $burst_tx commits =" \
    "$(awk -v t="$burst_tx" -v n="$done_burst" 'BEGIN{ if (n>0) printf "%.2f", t/n; else print "n/a"}') per instance"
} | tee -a "$OUT"
stop_service TERM
