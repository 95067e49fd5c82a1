#!/usr/bin/env bash
# Admission benchmark: durable starts/s and p50/p99 at concurrency 64 and 256, for the batched and
# the per-request write modes, with tracing on and off, and POST /bench/echo as the HTTP ceiling.
# The write mode and tracing are server settings, so the service is restarted for each.
# Runs only the api role (FLOWGATE_ROLES=api) so that master/worker work does not share the CPU.
#
# Environment (defaults in brackets): FG_BENCH_DURATION [30] seconds per run,
# FG_BENCH_CONCURRENCY ["64 256"], FG_TRACING_EXPORT [true] (tracing-on runs also export OTLP to
# 127.0.0.1:4317, where nothing listens: the realistic cost of an unreachable collector),
# plus those of lib.sh. Output: $FG_OUT/record-admission-*.jsonl, audit-*, metrics-*.
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
DUR="${FG_BENCH_DURATION:-30}"
CONC="${FG_BENCH_CONCURRENCY:-64 256}"
EXPORT="${FG_TRACING_EXPORT:-true}"
FAILED=0
[ "${FG_SKIP_BUILD:-}" = 1 ] || build_service

bench_server() { # NAME MODE TRACING(on|off) TARGETS...
  local name="$1" mode="$2" tracing="$3"; shift 3
  local sdk_disabled=false; [ "$tracing" = off ] && sdk_disabled=true
  QUARKUS_OTEL_EXPORTER_OTLP_ENABLED="$EXPORT" start_service "$name" FLOWGATE_ROLES=api \
    FLOWGATE_BENCH_ECHO_ENABLED=true FLOWGATE_STORE_WRITE_MODE="$mode" \
    QUARKUS_OTEL_SDK_DISABLED="$sdk_disabled"
  # warm-up: 10 s at the lowest concurrency, not recorded in the results
  run_sim AdmissionBenchmark "warmup-$name" -Dflowgate.concurrency=32 -Dflowgate.duration=10 -Dflowgate.target=start || FAILED=1
  local target c run
  for target in "$@"; do
    for c in $CONC; do
      run="admission-$target-$name-c$c"
      start_sampler "$run"
      run_sim AdmissionBenchmark "$run" -Dflowgate.concurrency="$c" -Dflowgate.duration="$DUR" -Dflowgate.target="$target" || FAILED=1
      stop_sampler
      if [ "$target" = start ]; then audit "$run" || FAILED=1; fi
    done
  done
  stop_service TERM
}

bench_server batched-tracing batched on start echo
bench_server perrequest-tracing per-request on start
bench_server batched-notracing batched off start echo
log "admission benchmark done in $FG_OUT (audit failures: $FAILED)"
exit "$FAILED"
