#!/usr/bin/env bash
# Where the CPU of a start goes: starts the packaged service (api role, tracing off, embedded
# PostgreSQL) with JDK Flight Recorder recording from launch (settings=profile), warms it up, runs
# wrk against a keyed start, and again against POST /bench/echo, and keeps the Java samples of each
# measured window. The recording runs from launch because starting one in a warm JVM made the JIT
# recompile the start path for the whole window (the JIT compiler threads took more CPU than the
# requests: 300-560 µs per start against under 10 µs without the late start). For each it prints:
#  - CPU µs per request of the JVM and of its PostgreSQL (from /proc, as cpu-cost.sh does);
#  - the JVM's CPU by thread group (event loops, workers, GC, JIT, other) from /proc/<pid>/task;
#  - the Java execution samples attributed to a category by their top-most (leaf-most) frame that
#    belongs to a known package (jfr-categories.py), with each category's share and µs per request
#    (share x the CPU of the Java threads that were sampled: event loops, workers, other).
# A sampling profiler's proportions hold on a shared machine better than throughput does; the
# load average is logged with every figure.
#
# Environment (defaults in brackets): FG_JFR_DURATION [20] seconds per target, FG_JFR_WARMUP [30]
# seconds of unrecorded warm-up per target (the JIT must be done, or it dominates the figures),
# FG_JFR_CONNECTIONS [64], FG_JFR_PERIOD [2 ms] Java sampling period (the JDK's profile settings
# with only this changed: 10 ms gives too few samples per run), FG_JFR_TRACING [off]: on = the
# OpenTelemetry SDK on, exporting over OTLP/HTTP to otlp-sink.py on FG_OTLP_SINK_PORT [14318]
# (a receiver that really takes the spans, as cpu-cost.sh does), plus those of lib.sh.
# Output: $FG_OUT/{start,echo}.jfr, profile-{start,echo}.txt, jfr-profile.csv. Only 127.0.0.1.
source "$(dirname "$0")/lib.sh"
trap 'cleanup' EXIT
DUR="${FG_JFR_DURATION:-20}"
WARMUP="${FG_JFR_WARMUP:-30}"
PERIOD="${FG_JFR_PERIOD:-2 ms}"
CONN="${FG_JFR_CONNECTIONS:-64}"
TICK=$(getconf CLK_TCK)
JFR_BIN="${FG_JFR_BIN:-jfr}"
JCMD_BIN="${FG_JCMD_BIN:-jcmd}"

if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null || { log "wrk is missing and could not be installed"; exit 2; }
fi
[ -f "${FG_JAR:-$ROOT_DIR/target/quarkus-app/quarkus-run.jar}" ] || build_service
JAVA_HOME_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
sed "/jdk.ExecutionSample\"/,/<\/event>/s|<setting name=\"period\"\([^>]*\)>[^<]*<|<setting name=\"period\"\1>$PERIOD<|" \
  "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$FG_OUT/sampling.jfc"

# ticks of the service's embedded PostgreSQL
service_pg_ticks() { pg_ticks "$(embedded_postmaster "$FG_OUT/service-profile.log")"; }
# one line per JVM thread: "ticks<TAB>name" (the name is in parentheses and may hold spaces)
thread_ticks() {
  local t
  for t in /proc/"$SVC_PID"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\2\t\1/' "$t" 2>/dev/null |
      awk -F'\t' '{split($1, f, " "); print f[11]+f[12] "\t" $2}' || true
  done
}

admin() { curl -sf --max-time 60 -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }

write_keyed_lua jfr

run_wrk() { # SECONDS PATH OUTFILE
  wrk -t2 -c"$CONN" -d"$1s" --timeout 15s -s "$FG_OUT/keyed.lua" \
    -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' \
    "$FG_BASE_URL$2" >"$3"
}

SDK_DISABLED=true EXPORT=false
if [ "${FG_JFR_TRACING:-off}" = on ]; then
  SDK_DISABLED=false EXPORT=true
  "$PY" "$LT_DIR/scripts/otlp-sink.py" --port "${FG_OTLP_SINK_PORT:-14318}" --stats "$FG_OUT/otlp.json" &
  SINK_PID=$!
  trap 'cleanup; kill "$SINK_PID" 2>/dev/null; true' EXIT
fi
FG_JAVA_OPTS="${FG_JAVA_OPTS:-} -XX:StartFlightRecording=name=profile,settings=$FG_OUT/sampling.jfc,maxage=30m" \
  QUARKUS_OTEL_EXPORTER_OTLP_ENABLED="$EXPORT" start_service profile FLOWGATE_ROLES=api \
  FLOWGATE_BENCH_ECHO_ENABLED=true QUARKUS_OTEL_SDK_DISABLED="$SDK_DISABLED" \
  QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:${FG_OTLP_SINK_PORT:-14318}" \
  QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
PROJECT=$(admin -d "{\"name\":\"jfr-$(date +%s%N)\"}" "$FG_BASE_URL/api/v1/projects" | sed 's/.*"code":\([0-9]*\).*/\1/')
WORKFLOW=$(admin -d '{"name":"one-noop","tasks":[{"code":"only","type":"NOOP"}],"edges":[]}' \
  "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows" | sed 's/.*"code":\([0-9]*\).*/\1/')
admin -X POST "$FG_BASE_URL/api/v1/projects/$PROJECT/workflows/$WORKFLOW/release" >/dev/null
START_PATH="/api/v1/projects/$PROJECT/workflows/$WORKFLOW/instances"

echo "target,requests,non2xx,jvm_us_per_request,pg_us_per_request,load1" >"$FG_OUT/jfr-profile.csv"
BAD=0
for target in start echo; do
  path=$START_PATH; [ "$target" = echo ] && path=/bench/echo
  log "$target: ${WARMUP} s warm-up"
  run_wrk "$WARMUP" "$path" "$FG_OUT/wrk-warmup-$target.txt"
  wait_quiet
  thread_ticks >"$FG_OUT/threads-before-$target.tsv"
  jvm0=$(jvm_ticks "$SVC_PID"); pg0=$(service_pg_ticks)
  since=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
  run_wrk "$DUR" "$path" "$FG_OUT/wrk-$target.txt"
  until=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
  "$JCMD_BIN" "$SVC_PID" JFR.dump name=profile filename="$FG_OUT/$target.jfr" >/dev/null
  jvm1=$(jvm_ticks "$SVC_PID"); pg1=$(service_pg_ticks)
  thread_ticks >"$FG_OUT/threads-after-$target.tsv"
  load=$(cut -d' ' -f1 /proc/loadavg)
  requests=$(awk '/requests in/{print $1}' "$FG_OUT/wrk-$target.txt")
  errors=$(awk '/Non-2xx/{print $NF}' "$FG_OUT/wrk-$target.txt")
  [ "${errors:-0}" -eq 0 ] || { log "$target: answers other than 2xx, the profile measures something else"; BAD=1; }
  jus=$(awk -v t=$((jvm1 - jvm0)) -v r="${requests:-0}" -v hz="$TICK" 'BEGIN{ if (r>0) printf "%.1f", t*1e6/hz/r; else print 0 }')
  pus=$(awk -v t=$((pg1 - pg0)) -v r="${requests:-0}" -v hz="$TICK" 'BEGIN{ if (r>0) printf "%.1f", t*1e6/hz/r; else print 0 }')
  echo "$target,${requests:-0},${errors:-0},$jus,$pus,$load" >>"$FG_OUT/jfr-profile.csv"
  log "$target: ${requests:-0} requests, JVM $jus µs + PostgreSQL $pus µs CPU per request [load average $load]"
  "$JFR_BIN" print --json --events jdk.ExecutionSample --stack-depth 96 "$FG_OUT/$target.jfr" >"$FG_OUT/$target-samples.json"
  "$PY" "$LT_DIR/scripts/jfr-categories.py" --samples "$FG_OUT/$target-samples.json" \
    --threads-before "$FG_OUT/threads-before-$target.tsv" --threads-after "$FG_OUT/threads-after-$target.tsv" \
    --since "$since" --until "$until" --requests "${requests:-0}" --hz "$TICK" --jvm-us "$jus" --pg-us "$pus" --title "$target" \
    | tee "$FG_OUT/profile-$target.txt"
  rm -f "$FG_OUT/$target-samples.json"
done
stop_service TERM
exit "$BAD"
