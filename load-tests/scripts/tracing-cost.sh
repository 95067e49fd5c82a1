#!/usr/bin/env bash
# What tracing adds to a start's CPU, measured so that the machine's slow drift cancels out: two
# services run side by side (api role, embedded PostgreSQL each), one with tracing off and one
# exporting over OTLP/HTTP to a local sink that really receives the spans. After one warm-up each,
# wrk loads them in turn, one window at a time, in the order off/on, on/off, off/on ... for
# FG_TRACE_ROUNDS rounds; the idle one waits. Each window's figure is the CPU of the loaded
# service's JVM and its PostgreSQL (from /proc, read after the span processor's export delay) per
# start answered. Each round gives one ratio on/off; the script prints every round and the median.
# cpu-cost.sh runs the two configurations minutes apart, in two JVMs warmed separately: on a shared
# two-core machine three runs of the same jar read -4 %, +9 % and +26 %.
#
# Saturated (the default) the services use all the CPU they get, so each window's CPU per start is
# that CPU over the starts answered: tracing shows as fewer starts, and fewer starts make smaller
# commit batches, which cost more per start in both JVM and PostgreSQL. FG_TRACE_PACE_MS paces
# instead: each connection waits that long before its next request (64 connections and 18 ms: at
# most about 3,500 starts/s, near half the maximum), so both services answer the same rate, commit
# batches of the same size, and the difference is what tracing itself costs at that load.
#
# Environment (defaults in brackets): FG_TRACE_ROUNDS [10], FG_CPU_DURATION [15] seconds per window,
# FG_CPU_WARMUP [120] seconds of warm-up per service (the traced JVM compiles for minutes),
# FG_CPU_CONNECTIONS [64], FG_CPU_FLUSH_WAIT [7], FG_OTLP_SINK_PORT [14318], FG_TRACE_PACE_MS
# [empty: saturated], FG_TRACE_PAIRS [1], plus those of lib.sh (the traced service listens on
# FG_PORT + 1).
#
# Rounds of one pair of JVMs share that pair's compiled code: two runs of the same jar have read
# +26 % and +2 %, each with a narrow interval over its rounds. FG_TRACE_PAIRS repeats the whole
# measurement (new JVMs, new embedded PostgreSQL, warm-up, rounds) and reports the median of the
# pairs' medians, an estimate of the jar rather than of one pair.
# Output: $FG_OUT/tracing-cost.csv and a table on stdout. Only 127.0.0.1 is ever contacted.
source "$(dirname "$0")/lib.sh"
ROUNDS="${FG_TRACE_ROUNDS:-10}"
DUR="${FG_CPU_DURATION:-15}"
WARMUP="${FG_CPU_WARMUP:-120}"
CONN="${FG_CPU_CONNECTIONS:-64}"
FLUSH_WAIT="${FG_CPU_FLUSH_WAIT:-7}"
PACE_MS="${FG_TRACE_PACE_MS:-}"
PAIRS="${FG_TRACE_PAIRS:-1}"
SINK_PORT="${FG_OTLP_SINK_PORT:-14318}"
TICK=$(getconf CLK_TCK)
CSV="$FG_OUT/tracing-cost.csv"
declare -A PID PORT
PORT[off]="$FG_PORT"
PORT[on]=$((FG_PORT + 1))
SINK_PID=""

stop_services() {
  local mode
  for mode in off on; do
    if [ -n "${PID[$mode]:-}" ]; then SVC_PID="${PID[$mode]}" stop_service TERM || true; PID[$mode]=""; fi
  done
}
stop_all() {
  stop_services
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
}
trap 'stop_all' EXIT
trap 'exit 130' INT TERM

if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null || { log "wrk is missing and could not be installed"; exit 2; }
fi
[ -f "${FG_JAR:-$ROOT_DIR/target/quarkus-app/quarkus-run.jar}" ] || build_service

# ticks MODE - "JVM PG JIT": user+system ticks of that service's JVM, of its embedded PostgreSQL
# and of the JVM's JIT compiler threads
ticks() {
  echo "$(jvm_ticks "${PID[$1]}") $(pg_ticks "$(embedded_postmaster "$FG_OUT/service-$1.log")") $(jit_ticks "$1")"
}

# jit_ticks MODE - CPU ticks of the JVM's JIT compiler threads: a window in which they still work
# measures a JVM that is still warming up
jit_ticks() {
  local t total=0
  for t in /proc/"${PID[$1]}"/task/*; do
    if grep -q 'Compiler' "$t/comm" 2>/dev/null; then
      total=$((total + $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0)))
    fi
  done
  echo "$total"
}

admin() { curl -sf --max-time 60 -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }

# start_mode MODE - starts one service and prepares a released one-NOOP workflow on it
start_mode() {
  local mode="$1" sdk_disabled=true export=false base project workflow
  [ "$mode" = on ] && sdk_disabled=false export=true
  FG_PORT="${PORT[$mode]}" FG_BASE_URL="http://127.0.0.1:${PORT[$mode]}"
  QUARKUS_OTEL_EXPORTER_OTLP_ENABLED="$export" start_service "$mode" FLOWGATE_ROLES=api \
    QUARKUS_OTEL_SDK_DISABLED="$sdk_disabled" \
    QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" \
    QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  PID[$mode]="$SVC_PID"
  SVC_PID=""
  base="$FG_BASE_URL"
  project=$(admin -d "{\"name\":\"trace-$mode-$(date +%s%N)\"}" "$base/api/v1/projects" | sed 's/.*"code":\([0-9]*\).*/\1/')
  workflow=$(admin -d '{"name":"one-noop","tasks":[{"code":"only","type":"NOOP"}],"edges":[]}' \
    "$base/api/v1/projects/$project/workflows" | sed 's/.*"code":\([0-9]*\).*/\1/')
  admin -X POST "$base/api/v1/projects/$project/workflows/$workflow/release" >/dev/null
  URL[$mode]="$base/api/v1/projects/$project/workflows/$workflow/instances"
}
declare -A URL

# every request carries its own Idempotency-Key, as a careful client's would
write_keyed_lua trace
if [ -n "$PACE_MS" ]; then
  echo "function delay() return $PACE_MS end" >>"$FG_OUT/keyed.lua"
  log "paced: each of $CONN connections waits $PACE_MS ms before each request"
fi

# window MODE SECONDS NAME - loads one service; prints "requests non2xx jvm_ticks pg_ticks
# jit_ticks"
window() {
  local mode="$1" seconds="$2" name="$3" j0 p0 c0 j1 p1 c1 out requests errors
  read -r j0 p0 c0 < <(ticks "$mode")
  out=$(wrk -t2 -c"$CONN" -d"${seconds}s" --timeout 15s -s "$FG_OUT/keyed.lua" \
    -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "${URL[$mode]}")
  sleep "$FLUSH_WAIT"
  read -r j1 p1 c1 < <(ticks "$mode")
  echo "$out" >"$FG_OUT/wrk-$name.txt"
  requests=$(echo "$out" | awk '/requests in/{print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  echo "${requests:-0} ${errors:-0} $((j1 - j0)) $((p1 - p0)) $((c1 - c0))"
}

"$PY" "$LT_DIR/scripts/otlp-sink.py" --port "$SINK_PORT" --stats "$FG_OUT/otlp.json" &
SINK_PID=$!
BAD=0
echo "pair,round,tracing,requests,non2xx,jvm_us_per_start,pg_us_per_start,cpu_us_per_start,jit_us_per_start" >"$CSV"
for pair in $(seq 1 "$PAIRS"); do
  [ "$PAIRS" -eq 1 ] || log "pair $pair of $PAIRS: two new JVMs, each on a new embedded PostgreSQL"
  start_mode off
  start_mode on
  window off "$WARMUP" "pair$pair-warmup-off" >/dev/null
  window on "$WARMUP" "pair$pair-warmup-on" >/dev/null
  wait_quiet
  for round in $(seq 1 "$ROUNDS"); do
    order="off on"
    [ $((round % 2)) -eq 0 ] && order="on off"
    for mode in $order; do
      read -r r e j p c < <(window "$mode" "$DUR" "pair$pair-round$round-$mode")
      [ "${e:-0}" -eq 0 ] || { log "pair $pair, round $round ($mode): answers other than 2xx, the figure measures nothing"; BAD=1; }
      figures=$(awk -v r="${r:-0}" -v j="$j" -v p="$p" -v c="$c" -v hz="$TICK" \
        'BEGIN{ if (r>0) printf "%.1f,%.1f,%.1f,%.1f", j*1e6/hz/r, p*1e6/hz/r, (j+p)*1e6/hz/r, c*1e6/hz/r; else print "n/a,n/a,n/a,n/a" }')
      echo "$pair,$round,$mode,${r:-0},${e:-0},$figures" >>"$CSV"
      log "pair $pair, round $round, tracing $mode: ${r:-0} starts, JVM,PostgreSQL,total,JIT µs per start: $figures"
    done
  done
  stop_services
done
log "OTLP sink received: $(cat "$FG_OUT/otlp.json")"

"$PY" - "$CSV" <<'PY'
import csv, random, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["cpu_us_per_start"] != "n/a"]
by = {(r["pair"], r["round"], r["tracing"]): r for r in rows}
ratios, pair_medians = {}, {}
print("| pair | round | off: starts, µs per start (of which JIT) | on: starts, µs per start (of which JIT) | tracing adds |")
print("|---|---|---|---|---|")
for pair, rnd in sorted({(r["pair"], r["round"]) for r in rows}, key=lambda k: (int(k[0]), int(k[1]))):
    off, on = by.get((pair, rnd, "off")), by.get((pair, rnd, "on"))
    if not off or not on:
        continue
    added = float(on["cpu_us_per_start"]) / float(off["cpu_us_per_start"]) - 1
    ratios.setdefault(pair, []).append(added)
    print(f"| {pair} | {rnd} | {off['requests']}, {float(off['cpu_us_per_start']):.0f} ({float(off['jit_us_per_start']):.0f}) "
          f"| {on['requests']}, {float(on['cpu_us_per_start']):.0f} ({float(on['jit_us_per_start']):.0f}) | {100 * added:+.0f} % |")
for pair, added in ratios.items():
    pair_medians[pair] = statistics.median(added)
    # how far that median could move with other rounds of the same two JVMs; a new pair of JVMs
    # can land elsewhere (their compiled code differs), hence FG_TRACE_PAIRS
    random.seed(1)
    medians = sorted(statistics.median(random.choices(added, k=len(added))) for _ in range(10000))
    print(f"pair {pair}: tracing adds {100 * pair_medians[pair]:.0f} % to a start's CPU (median of "
          f"{len(added)} rounds; lowest {100 * min(added):.0f} %, highest {100 * max(added):.0f} %; "
          f"90 % interval of that median over these rounds, bootstrap: {100 * medians[500]:+.0f} % "
          f"to {100 * medians[9499]:+.0f} %)")
if len(pair_medians) > 1:
    values = sorted(pair_medians.values())
    print(f"over {len(values)} pairs of JVMs: median of their medians {100 * statistics.median(values):+.0f} %, "
          f"mean {100 * statistics.mean(values):+.0f} %, pairs: " + ", ".join(f"{100 * v:+.0f} %" for v in values))
PY
exit "$BAD"
