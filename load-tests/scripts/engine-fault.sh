#!/usr/bin/env bash
# Engine fault scenario: instances of a one-task workflow (WAIT FG_ENGINE_WAIT s) started at a
# steady rate against three processes on one PostgreSQL this script starts (loopback only, under
# unshare -U): A runs api+master+worker, B and C run a worker only. During the run the store
# refuses every task result for 10 s (a NOT VALID check constraint on instance_transition, then
# dropped), B is SIGTERMed (it drains) and C is SIGKILLed. Afterwards the no-drop audit of the
# start answers, then the engine audit (scripts/engine_audit.py): every acknowledged instance is
# final, no task attempt ran on two workers unless one of them was SIGKILLed (counted), nothing is
# stuck.
#
# Environment (defaults in brackets): FG_ENGINE_RATE [20] starts/s, FG_ENGINE_DURATION [40] s,
# FG_ENGINE_WAIT [2] s of each task, FG_ENGINE_SETTLE [120] s to wait for every instance to end,
# plus those of lib.sh. Ports: FG_PORT (A), FG_PORT+1 (B), FG_PORT+2 (C).
# Exit status: 1 when an audit failed.
source "$(dirname "$0")/lib.sh"
RATE="${FG_ENGINE_RATE:-20}"
DUR="${FG_ENGINE_DURATION:-40}"
WAIT_S="${FG_ENGINE_WAIT:-2}"
SETTLE="${FG_ENGINE_SETTLE:-120}"
EXTRA_PIDS=()
engine_cleanup() {
  for p in "${EXTRA_PIDS[@]}"; do kill -s TERM "$p" 2>/dev/null || true; done
  for p in "${EXTRA_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  cleanup
}
trap engine_cleanup EXIT
[ "${FG_SKIP_BUILD:-}" = 1 ] || build_service
FG_OUT="$FG_OUT/engine-fault"; mkdir -p "$FG_OUT"
start_pg
SVC_ENV=(FLOWGATE_DB_URL="$PG_URL" FLOWGATE_DB_USER=postgres FLOWGATE_DB_PASSWORD=postgres
  FLOWGATE_SHUTDOWN_DELAY=0s FLOWGATE_WORKER_DRAIN_PERIOD=20s)
start_service engine-a "${SVC_ENV[@]}"

# start_worker NAME PORT - a worker-only process on the same database; echoes its pid
start_worker() {
  local name="$1" port="$2" logf="$FG_OUT/service-$1.log"
  # A migrated the schema already; a worker-only process does not race it for the Flyway lock
  env QUARKUS_HTTP_PORT="$port" FLOWGATE_ROLES=worker QUARKUS_OTEL_EXPORTER_OTLP_ENABLED=false \
    QUARKUS_FLYWAY_MIGRATE_AT_START=false \
    "${SVC_ENV[@]}" java ${FG_JAVA_OPTS:-} -jar "$ROOT_DIR/target/quarkus-app/quarkus-run.jar" \
    >>"$logf" 2>&1 &
  echo $!
}
B_PID=$(start_worker worker-b $((FG_PORT + 1)))
C_PID=$(start_worker worker-c $((FG_PORT + 2)))
EXTRA_PIDS=("$B_PID" "$C_PID")
for port in $((FG_PORT + 1)) $((FG_PORT + 2)); do
  for i in $(seq 1 240); do
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/q/health/started" && break
    sleep 0.5
  done
done
owner_of() { grep -o 'Worker [^ ]* started' "$FG_OUT/service-$1.log" | head -1 | cut -d' ' -f2; }
log "workers: B pid $B_PID ($(owner_of worker-b)), C pid $C_PID ($(owner_of worker-c))"

# a project with a released one-task WAIT workflow
H=(-H "Authorization: Bearer bench-admin" -H "Content-Type: application/json")
project=$(curl -sf --max-time 60 "${H[@]}" -d "{\"name\":\"engine-fault-$(date +%s)\"}" \
  "$FG_BASE_URL/api/v1/projects" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["code"])')
workflow=$(curl -sf --max-time 60 "${H[@]}" -d "{\"name\":\"wait\",\"tasks\":[{\"code\":\"wait\",\"type\":\"WAIT\",\"params\":{\"seconds\":$WAIT_S}}],\"edges\":[]}" \
  "$FG_BASE_URL/api/v1/projects/$project/workflows" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["code"])')
curl -sf --max-time 60 "${H[@]}" -X POST "$FG_BASE_URL/api/v1/projects/$project/workflows/$workflow/release" >/dev/null
log "project $project, workflow $workflow (WAIT ${WAIT_S}s)"

start_sampler engine-fault
run_sim SteadyRate engine-fault -Dflowgate.rate="$RATE" -Dflowgate.duration="$DUR" \
  -Dflowgate.project="$project" -Dflowgate.workflow="$workflow" &
SIM_PID=$!
# Maven and Gatling may take minutes to start on a loaded machine: wait for the first answers
# (bounded at 300 s) so that the faults hit a running load
for i in $(seq 1 600); do
  [ -f "$FG_OUT/record-engine-fault.jsonl" ] && [ "$(wc -l <"$FG_OUT/record-engine-fault.jsonl")" -ge 2 ] && break
  sleep 0.5
done
log "load running: $(wc -l <"$FG_OUT/record-engine-fault.jsonl" 2>/dev/null || echo 0) line(s) recorded"
PSQL=("$PG_BIN/psql" "$PG_URL" -U postgres -X -At -q)
sleep 5
log "FAULT: the store refuses task results for 10 s"
"${PSQL[@]}" -c "alter table instance_transition add constraint engine_fault_refuse_results check (task_code is null or state not in ('SUCCESS', 'FAILURE')) not valid"
sleep 3
log "FAULT: SIGTERM to worker B (pid $B_PID)"
kill -s TERM "$B_PID"
sleep 3
log "FAULT: SIGKILL to worker C (pid $C_PID)"
kill -s KILL "$C_PID"
sleep 4
"${PSQL[@]}" -c "alter table instance_transition drop constraint engine_fault_refuse_results"
log "the store accepts task results again"
for p in "$B_PID" "$C_PID"; do wait "$p" 2>/dev/null || true; done
log "worker B exited $(grep -c 'drained\|releases' "$FG_OUT/service-worker-b.log" || true) drain line(s)"
EXTRA_PIDS=()
wait "$SIM_PID" || true
stop_sampler
log "waiting at most ${SETTLE}s for every instance to end"
for i in $(seq 1 "$SETTLE"); do
  left=$("${PSQL[@]}" -c "select count(*) from workflow_instance where project_code = $project and state not in ('SUCCESS', 'FAILURE', 'STOPPED')")
  [ "$left" = 0 ] && break
  sleep 1
done
rc=0
audit engine-fault "$PG_URL" || rc=1
"$PY" "$LT_DIR/scripts/engine_audit.py" --db "$PG_URL" --project "$project" \
  --killed "$(owner_of worker-c)" --json "$FG_OUT/engine-audit.json" \
  "$FG_OUT/record-engine-fault.jsonl" | tee "$FG_OUT/engine-audit.txt" >&2 || rc=1
curl -s --max-time 2 "$FG_BASE_URL/q/metrics" \
  | grep -E '^flowgate_(tasks_|instances_|unaccounted)' > "$FG_OUT/engine-metrics.txt" || true
log "engine fault done: exit $rc"
exit "$rc"
