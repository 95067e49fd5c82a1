#!/usr/bin/env bash
# CPU cost per request: a durable start against the same stack's POST /bench/echo, with tracing off
# and with tracing on (exporting over OTLP/HTTP to a local sink that really receives the spans).
# The figure is CPU time of the service JVM plus its PostgreSQL processes (from /proc), divided by
# the requests answered: it does not depend on how fast the load generator is, so it holds on a
# shared machine where throughput does not. wrk is the generator (installed with apt if missing).
#
# Environment (defaults in brackets): FG_CPU_DURATION [20] seconds per run, FG_CPU_CONNECTIONS [64],
# FG_CPU_WARMUP [10] seconds of unrecorded warm-up per service start, plus those of lib.sh.
# Output: $FG_OUT/cpu-cost.csv and a table on stdout. Only 127.0.0.1 is ever contacted.
source "$(dirname "$0")/lib.sh"
trap 'cleanup; [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null; true' EXIT
DUR="${FG_CPU_DURATION:-20}"
CONN="${FG_CPU_CONNECTIONS:-64}"
WARMUP="${FG_CPU_WARMUP:-10}"
SINK_PORT="${FG_OTLP_SINK_PORT:-14318}"
# the span processor exports every 5 s (quarkus.otel.bsp.schedule.delay); the sink writes stats each
# s; every run (traced or not) waits this long after wrk before its CPU is read
FLUSH_WAIT="${FG_CPU_FLUSH_WAIT:-7}"
TICK=$(getconf CLK_TCK)
CSV="$FG_OUT/cpu-cost.csv"

if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null || { log "wrk is missing and could not be installed"; exit 2; }
fi
[ -f "$ROOT_DIR/target/quarkus-app/quarkus-run.jar" ] || build_service

# cpu_ticks PID - "JVM PG": user+system ticks of the JVM, and of its embedded PostgreSQL
cpu_ticks() { echo "$(jvm_ticks "$1") $(pg_ticks "$(embedded_postmaster "$FG_OUT/service-$RUN_NAME.log")")"; }

admin() { curl -sf --max-time 60 -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }

prepare_workflow() {
  PROJECT=$(admin -d "{\"name\":\"cpu-$(date +%s%N)\"}" "$FG_BASE_URL/api/v1/projects" | sed 's/.*"code":\([0-9]*\).*/\1/')
  WORKFLOW=$(admin -d '{"name":"one-noop","tasks":[{"code":"only","type":"NOOP"}],"edges":[]}' \
    "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows" | sed 's/.*"code":\([0-9]*\).*/\1/')
  admin -X POST "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows/$WORKFLOW/release" >/dev/null
}

# every request carries its own Idempotency-Key, as a careful client's would
write_keyed_lua cpu

# bytes the OTLP sink has received so far (it rewrites its stats file every second)
sink_bytes() {
  if [ -n "${SINK_STATS:-}" ] && [ -f "$SINK_STATS" ]; then
    "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$SINK_STATS"
  else
    echo 0
  fi
}

# run_wrk NAME PATH - prints "requests non2xx jvm_ticks pg_ticks otlp_bytes". The CPU and the bytes
# are read after the span processor's export delay, so the export of the run's spans counts; the
# untraced runs wait as long, so both figures hold the same after-run background (PostgreSQL's
# autovacuum of the rows just written, for one).
run_wrk() {
  local name="$1" path="$2" jvm0 pg0 jvm1 pg1 out requests errors bytes_before bytes_after
  read -r jvm0 pg0 < <(cpu_ticks "$SVC_PID")
  bytes_before=$(sink_bytes)
  out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 15s -s "$FG_OUT/keyed.lua" \
    -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$FG_BASE_URL$path")
  sleep "$FLUSH_WAIT"
  read -r jvm1 pg1 < <(cpu_ticks "$SVC_PID")
  bytes_after=$(sink_bytes)
  echo "$out" >"$FG_OUT/wrk-$name.txt"
  requests=$(echo "$out" | awk '/requests in/{print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  echo "${requests:-0} ${errors:-0} $((jvm1 - jvm0)) $((pg1 - pg0)) $((bytes_after - bytes_before))"
}

measure() { # NAME TRACING(on|off)
  local name="$1" tracing="$2" sdk_disabled=true export=false
  RUN_NAME="$name"
  if [ "$tracing" = on ]; then
    sdk_disabled=false export=true
    SINK_STATS="$FG_OUT/otlp-$name.json"
    "$PY" "$LT_DIR/scripts/otlp-sink.py" --port "$SINK_PORT" --stats "$SINK_STATS" &
    SINK_PID=$!
  fi
  QUARKUS_OTEL_EXPORTER_OTLP_ENABLED="$export" start_service "$name" FLOWGATE_ROLES=api \
    FLOWGATE_BENCH_ECHO_ENABLED=true QUARKUS_OTEL_SDK_DISABLED="$sdk_disabled" \
    QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" \
    QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  prepare_workflow
  local start="/api/v1/projects/$PROJECT/workflows/$WORKFLOW/instances"
  DUR="$WARMUP" run_wrk "warmup-$name" "$start" >/dev/null
  DUR="$WARMUP" run_wrk "warmup-echo-$name" /bench/echo >/dev/null
  local target path r e j p b us jus pus bpr
  wait_quiet # logs the load average the figures are taken at (and waits if FG_QUIET_LOAD is set)
  for target in start echo; do
    path=$start; [ "$target" = echo ] && path=/bench/echo
    read -r r e j p b < <(run_wrk "$target-$name" "$path")
    per() { awk -v t="$1" -v r="$r" -v hz="$TICK" 'BEGIN{ if (r>0) printf "%.1f", t*1e6/hz/r; else print "n/a" }'; }
    us=$(per $((j + p))) jus=$(per "$j") pus=$(per "$p")
    bpr=$(awk -v b="$b" -v r="$r" 'BEGIN{ if (r>0) printf "%.0f", b/r; else print "n/a" }')
    echo "$name,$tracing,$target,$CONN,$DUR,$r,$e,$((j + p)),$us,$jus,$pus,$bpr" >>"$CSV"
    log "$name $target: $r requests ($e non-2xx), $us µs CPU per request (JVM $jus, PostgreSQL $pus), $bpr OTLP bytes per request"
    [ "${e:-0}" -eq 0 ] || { log "$name $target: answers other than 2xx, the figure measures nothing"; BAD=1; }
  done
  stop_service TERM
  if [ -n "${SINK_PID:-}" ]; then kill "$SINK_PID" 2>/dev/null || true; wait "$SINK_PID" 2>/dev/null || true; SINK_PID=""; fi
  SINK_STATS=""
}

BAD=0
echo "run,tracing,target,connections,seconds,requests,non2xx,cpu_ticks,cpu_us_per_request,jvm_us_per_request,pg_us_per_request,otlp_bytes_per_request" >"$CSV"
measure notracing off
measure tracing on
[ -f "$FG_OUT/otlp-tracing.json" ] && log "OTLP sink received: $(cat "$FG_OUT/otlp-tracing.json")"

"$PY" - "$CSV" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
us = {(r["run"], r["target"]): float(r["cpu_us_per_request"]) for r in rows if r["cpu_us_per_request"] != "n/a"}
print("| run | start µs CPU | echo µs CPU | start / echo |")
print("|---|---|---|---|")
for run in ("notracing", "tracing"):
    s, e = us.get((run, "start")), us.get((run, "echo"))
    if s and e:
        print(f"| {run} | {s:.0f} | {e:.0f} | {s / e:.2f}x |")
if ("notracing", "start") in us and ("tracing", "start") in us:
    print(f"tracing adds {100 * (us[('tracing', 'start')] / us[('notracing', 'start')] - 1):.0f} % to a start's CPU")
PY
exit "$BAD"
