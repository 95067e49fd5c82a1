#!/usr/bin/env bash
# Engine pace with every role in one process: does the engine keep up while starts saturate the
# API, how fast does it drain the backlog afterwards, and what is p99 when starts are paced at half
# the maximum? One-NOOP workflow, embedded PostgreSQL, tracing off. wrk drives the saturated run,
# hey (rate-limited) the paced one; both are installed with apt if missing.
#
# Environment (defaults in brackets): FG_PACE_DURATION [20] seconds per run, FG_PACE_CONNECTIONS
# [64] of the saturated run, FG_PACE_WORKERS [64] most keep-alive workers of the paced run,
# FG_PACE_DRAIN_MAX [300] seconds to wait for the backlog, FG_PACE_ROLES [api,master,worker]:
# with "api" alone the same two runs measure the API without an engine (no completions, no
# drain), the issue's "p99 paced at half the maximum, api role only", plus those of lib.sh.
# Output: $FG_OUT/engine-pace.txt. Only 127.0.0.1 is ever contacted.
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
DUR="${FG_PACE_DURATION:-20}"
CONN="${FG_PACE_CONNECTIONS:-64}"
DRAIN_MAX="${FG_PACE_DRAIN_MAX:-300}"
OUT="$FG_OUT/engine-pace.txt"

for tool in wrk hey; do
  if ! command -v "$tool" >/dev/null; then
    log "installing $tool (Debian package)"
    { apt-get update -qq && apt-get install -y -qq "$tool"; } >/dev/null || { log "$tool is missing and could not be installed"; exit 2; }
  fi
done
command -v psql >/dev/null || { log "psql is needed (Debian package postgresql-client)"; exit 2; }
[ -f "$ROOT_DIR/target/quarkus-app/quarkus-run.jar" ] || build_service

admin() { curl -sf --max-time 10 -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }
sql() { psql -qtA "$SVC_DB_URL?user=postgres" -c "$1"; }
count_state() { sql "select count(*) from workflow_instance where project_code = $PROJECT and state = '$1'"; }
count_all() { sql "select count(*) from workflow_instance where project_code = $PROJECT"; }

prepare_workflow() {
  PROJECT=$(admin -d "{\"name\":\"pace-$(date +%s%N)\"}" "$FG_BASE_URL/api/v1/projects" | sed 's/.*"code":\([0-9]*\).*/\1/')
  WORKFLOW=$(admin -d '{"name":"one-noop","tasks":[{"code":"only","type":"NOOP"}],"edges":[]}' \
    "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows" | sed 's/.*"code":\([0-9]*\).*/\1/')
  admin -X POST "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows/$WORKFLOW/release" >/dev/null
  START="$FG_BASE_URL/api/v1/projects/$PROJECT/workflows/$WORKFLOW/instances"
}

wait_drained() { # prints seconds until nothing of the project is unfinished (bounded)
  local t0 now
  t0=$(date +%s%N)
  for _ in $(seq 1 $((DRAIN_MAX * 2))); do
    [ "$(sql "select count(*) from workflow_instance where project_code = $PROJECT and state not in ('SUCCESS','FAILURE','STOPPED')")" = 0 ] && break
    sleep 0.5
  done
  now=$(date +%s%N)
  awk -v a="$t0" -v b="$now" 'BEGIN{printf "%.1f", (b-a)/1e9}'
}

# wrk loads its script once in the main thread and again in every thread: a `<(...)` pipe can be
# read only once, so the threads fell back to wrk's default (GET, no body) and every answer was
# non-2xx. The script lives in a regular file.
POST_LUA="$FG_OUT/post-json.lua"
echo 'wrk.method="POST"; wrk.body="{}"; wrk.headers["Content-Type"]="application/json"' >"$POST_LUA"

# with an engine, the SUBMITTED high-water check at its default (lib.sh turns it off for the
# api-only benchmarks)
ROLES="${FG_PACE_ROLES:-api,master,worker}"
ENGINE=0
case ",$ROLES," in *,master,*) ENGINE=1 ;; esac
# without an engine nothing is claimed, so the SUBMITTED high-water check is off, as lib.sh has it
HIGH_WATER=100000
[ "$ENGINE" = 1 ] || HIGH_WATER=0
start_service pace FLOWGATE_ROLES="$ROLES" QUARKUS_OTEL_SDK_DISABLED=true \
  FLOWGATE_BACKLOG_ADMISSION_HIGH_WATER="$HIGH_WATER"
prepare_workflow
wrk -t2 -c"$CONN" -d10s -H "Authorization: Bearer bench-admin" -s "$POST_LUA" "$START" >/dev/null 2>&1 || true
[ "$ENGINE" = 1 ] && wait_drained >/dev/null
prepare_workflow

# saturated starts: completions while loaded / start rate
done_before=$(count_state SUCCESS)
out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 15s -H "Authorization: Bearer bench-admin" \
  -s "$POST_LUA" "$START")
echo "$out" >"$FG_OUT/wrk-pace-saturated.txt"
done_during=$(( $(count_state SUCCESS) - done_before ))
started=$(count_all)
drain_s=0 drained=0
[ "$ENGINE" = 1 ] && drain_s=$(wait_drained) && drained=$(( $(count_state SUCCESS) - done_before - done_during ))
rate=$(echo "$out" | awk '/Requests\/sec/{print $2}')
if echo "$out" | grep -q "Non-2xx"; then
  log "the saturated run got answers other than 2xx: its figures measure nothing"; exit 1
fi
{
  echo "saturated starts, roles $ROLES, $CONN connections, ${DUR} s:"
  echo "  starts/s (wrk): $rate; instances created: $started"
  echo "  SUCCESS during the run: $done_during ($(awk -v d="$done_during" -v s="$DUR" 'BEGIN{printf "%.0f", d/s}')/s);" \
    "completions / starts = $(awk -v d="$done_during" -v s="$started" 'BEGIN{ if (s>0) printf "%.2f", d/s; else print "n/a"}')"
  echo "  drain after the run: $drained more in $drain_s s ($(awk -v d="$drained" -v s="$drain_s" 'BEGIN{ if (s>0) printf "%.0f", d/s; else print "n/a"}')/s)"
} | tee -a "$OUT"

# paced at half the maximum. hey's -q is per worker (a fraction is honoured: hey 0.1.4 ticks every
# 1/q s), so the old fixed 64 workers with q floored at 1 could not ask for less than 64/s: take
# at most 64 workers and never more than the rate, and q = half / workers, so that workers * q is
# the half rate itself; print what was requested and what hey achieved.
half=$(awk -v r="${rate:-0}" 'BEGIN{printf "%d", r/2}')
if [ "$half" -gt 0 ]; then
  max_workers="${FG_PACE_WORKERS:-64}"
  workers=$(( half < max_workers ? half : max_workers ))
  per_worker=$(awk -v h="$half" -v w="$workers" 'BEGIN{printf "%.3f", h/w}')
  requested=$(awk -v q="$per_worker" -v w="$workers" 'BEGIN{printf "%.1f", q*w}')
  prepare_workflow
  hey -z "${DUR}s" -c "$workers" -q "$per_worker" -m POST -T application/json -d '{}' \
    -H "Authorization: Bearer bench-admin" "$START" \
    >"$FG_OUT/hey-pace-half.txt" 2>&1 || true
  achieved=$(awk '/Requests\/sec/{print $2}' "$FG_OUT/hey-pace-half.txt")
  {
    echo "paced at half the maximum: $half/s wanted; requested $requested/s ($workers workers x $per_worker/s); achieved ${achieved:-n/a}/s:"
    grep -E "99% in|95% in|50% in|^ *\[[0-9]{3}\][[:space:]]+[0-9]+ responses" "$FG_OUT/hey-pace-half.txt" | sed 's/^/  /'
  } | tee -a "$OUT"
fi
stop_service TERM
log "engine pace written to $OUT"
