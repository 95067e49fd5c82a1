#!/usr/bin/env bash
# Client-chaos scenario: well-behaved retrying clients (RetryStorm) and misbehaving ones
# (scripts/chaos_clients.py: clients that give up after 50 ms and reset the connection, clients that
# reset mid-request) on the same project, on a service this script starts (embedded PostgreSQL).
# Readiness is sampled throughout; afterwards flowgate_start_in_flight must return to 0 within the
# request timeout, flowgate_unaccounted_requests must be 0, readiness must never have left UP, and
# the no-drop audit runs over both records (every key answered 2xx has exactly one row).
#
# Environment (defaults in brackets): FG_CHAOS_RATE [300] new keys/s of the normal clients,
# FG_CHAOS_DURATION [30] s, FG_CHAOS_THREADS [16] misbehaving client threads, FG_CHAOS_ABANDON_MS
# [50], plus those of lib.sh. Exit status: 1 when the audit or a check failed.
source "$(dirname "$0")/lib.sh"
set +e # the checks below decide the exit status; a slow curl must not end the script
RATE="${FG_CHAOS_RATE:-300}"
DUR="${FG_CHAOS_DURATION:-30}"
trap cleanup EXIT
[ "${FG_SKIP_BUILD:-}" = 1 ] || build_service
FG_OUT="$FG_OUT/client-chaos"; mkdir -p "$FG_OUT"
start_service chaos || exit 2
DB="$SVC_DB_URL"
read -r PROJECT WORKFLOW < <("$PY" - "$FG_BASE_URL" <<'PYEOF'
import json, sys, time, urllib.request
base = sys.argv[1]
def post(path, body):
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
        method="POST", headers={"Authorization": "Bearer bench-admin", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")
p = post("/api/v1/projects", {"name": "chaos-%d" % int(time.time())})["code"]
w = post("/api/v1/projects/%d/workflows" % p,
         {"name": "chaos", "tasks": [{"code": "a", "type": "NOOP"}], "edges": []})["code"]
post("/api/v1/projects/%d/workflows/%d/release" % (p, w), None)
print(p, w)
PYEOF
)
log "chaos: project $PROJECT workflow $WORKFLOW"
start_sampler chaos
READY="$FG_OUT/readiness-chaos.csv"
( end=$(( $(date +%s) + DUR + 120 )); while [ "$(date +%s)" -lt "$end" ]; do
    echo "$(date +%s%3N),$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$FG_BASE_URL/q/health/ready")" >>"$READY"
    sleep 0.5; done ) &
READY_PID=$!
run_sim RetryStorm chaos -Dflowgate.rate="$RATE" -Dflowgate.duration="$DUR" \
  -Dflowgate.project="$PROJECT" -Dflowgate.workflow="$WORKFLOW" &
SIM_PID=$!
wait_for_load chaos || true
"$PY" "$LT_DIR/scripts/chaos_clients.py" --url "$FG_BASE_URL" --project "$PROJECT" --workflow "$WORKFLOW" \
  --record "$FG_OUT/record-chaos-clients.jsonl" --duration "$DUR" --threads "${FG_CHAOS_THREADS:-16}" \
  --abandon-ms "${FG_CHAOS_ABANDON_MS:-50}" 2>&1 | tee -a "$FG_OUT/suite.log"
wait "$SIM_PID" || true
rc=0
# in-flight back to 0 within the request timeout (10 s) plus a margin for the loaded machine
settled=""
for i in $(seq 1 40); do
  m=$(curl -s --max-time 2 "$FG_BASE_URL/q/metrics")
  inflight=$(echo "$m" | awk '/^flowgate_start_in_flight[ {]/{print $NF; exit}')
  if [ "${inflight%.*}" = "0" ]; then settled="after $((i / 2)) s"; break; fi
  sleep 0.5
done
stop_sampler
kill "$READY_PID" 2>/dev/null; wait "$READY_PID" 2>/dev/null
m=""
for i in 1 2 3 4 5; do m=$(curl -s --max-time 10 "$FG_BASE_URL/q/metrics") && [ -n "$m" ] && break; sleep 1; done
unaccounted=$(echo "$m" | awk '/^flowgate_unaccounted_requests[ {]/{print $NF; exit}')
gone=$(echo "$m" | awk '/^flowgate_start_client_gone_total[ {]/{print $NF; exit}')
not_ready=$(awk -F, '$2 != "200"' "$READY" | wc -l)
{
  echo "in-flight back to 0: ${settled:-NO (still ${inflight:-?})}"
  echo "flowgate_unaccounted_requests: ${unaccounted:-?}"
  echo "flowgate_start_client_gone_total: ${gone:-?}"
  echo "readiness samples not 200: $not_ready of $(wc -l <"$READY")"
} | tee "$FG_OUT/checks-chaos.txt" >&2
[ -n "$settled" ] || rc=1
[ "${unaccounted%.*}" = "0" ] || rc=1
[ "$not_ready" -eq 0 ] || rc=1
log "audit chaos (normal and misbehaving clients) against $DB"
"$PY" "$LT_DIR/scripts/audit.py" --db "$DB" --json "$FG_OUT/audit-chaos.json" \
  "$FG_OUT/record-chaos.jsonl" "$FG_OUT/record-chaos-clients.jsonl" | tee "$FG_OUT/audit-chaos.txt" >&2 || rc=1
log "client chaos done: exit $rc"
exit "$rc"
