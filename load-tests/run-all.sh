#!/usr/bin/env bash
# Runs the whole load-test suite against services this script starts itself, then writes the
# figures and charts. Loopback only; every step is bounded in time.
#
#   load-tests/run-all.sh
#
# 1. admission benchmark (scripts/admission-benchmark.sh: batched vs per-request, tracing on/off,
#    echo ceiling, concurrency 64 and 256; one service start per server setting), then
#    scripts/half-rate.sh: PacedRate at half the best batched rate (p99 target)
# 2. on one service with the embedded PostgreSQL (all roles): SteadyRate, RampToSaturation,
#    DolphinCompat, Soak; then OverloadBurst and RetryStorm with a small admission queue
#    (FLOWGATE_ADMISSION_CAPACITY=200) - each audited
# 3. fault scenarios on a PostgreSQL started by the script: DB connections killed, PostgreSQL
#    restarted, SIGTERM and SIGKILL of the service, INSERT revoked from the service's role
#    (scripts/fault.sh), each audited; then the engine fault scenario (scripts/engine-fault.sh:
#    results refused for 10 s, a worker SIGTERMed, one SIGKILLed) with the no-drop audit and the
#    engine audit (scripts/engine_audit.py)
# 3b. client chaos (scripts/chaos.sh): clients that give up after 50 ms or reset mid-request beside
#    normal retrying ones; in-flight, unaccounted and readiness checked, both records audited
# 4. scripts/report.py: summary table and PNG charts under docs/benchmarks/
#
# Environment (defaults in brackets): FG_DURATION [30] seconds per scenario, FG_SOAK_DURATION
# [120] seconds of soak (the simulation's own default is 600), FG_BENCH_DURATION [30],
# FG_SKIP="" (space-separated steps to skip: bench scenarios faults chaos retention), FG_PORT [18080],
# FG_PG_PORT [25433], FG_OUT [load-tests/target/runs/<timestamp>].
# Exit status: 1 when any audit found a mismatch or any simulation failed (set-up, crash or one of
# its Gatling assertions).
set -uo pipefail
export FG_OUT="${FG_OUT:-$(cd "$(dirname "$0")" && pwd)/target/runs/$(date +%Y%m%d-%H%M%S)}"
source "$(dirname "$0")/scripts/lib.sh"
set +e
DUR="${FG_DURATION:-30}"
SKIP=" ${FG_SKIP:-} "
FAILED=0
build_service || exit 2
export FG_SKIP_BUILD=1

if [[ "$SKIP" != *" bench "* ]]; then
  FG_BENCH_DURATION="${FG_BENCH_DURATION:-$DUR}" "$LT_DIR/scripts/admission-benchmark.sh" || FAILED=1
  FG_HALF_DURATION="$DUR" "$LT_DIR/scripts/half-rate.sh" || FAILED=1
fi

scenario() { # NAME CLASS PROPS...
  local name="$1" cls="$2"; shift 2
  start_sampler "$name"; run_sim "$cls" "$name" "$@" || FAILED=1; stop_sampler
  audit "$name" "$SVC_DB_URL" || FAILED=1
}

if [[ "$SKIP" != *" scenarios "* ]]; then
  trap cleanup EXIT
  start_service scenarios || exit 2
  scenario steady SteadyRate -Dflowgate.rate=200 -Dflowgate.duration="$DUR"
  scenario ramp RampToSaturation -Dflowgate.fromRate=20 -Dflowgate.toRate=3000 -Dflowgate.duration="$DUR"
  scenario dolphin DolphinCompat -Dflowgate.rate=200 -Dflowgate.duration="$DUR"
  scenario soak Soak -Dflowgate.rate=100 -Dflowgate.duration="${FG_SOAK_DURATION:-120}"
  stop_service TERM
  # overload and retry storm run with a small admission queue so that its bound is reached
  start_service overload FLOWGATE_ADMISSION_CAPACITY=200 || exit 2
  scenario overload OverloadBurst -Dflowgate.rate=150 -Dflowgate.burstFactor=10 \
    -Dflowgate.before=10 -Dflowgate.burst=10 -Dflowgate.after=$(( DUR > 15 ? DUR - 15 : 5 ))
  scenario retry-storm RetryStorm -Dflowgate.rate=800 -Dflowgate.duration="$DUR"
  stop_service TERM
fi

if [[ "$SKIP" != *" faults "* ]]; then
  for kind in connkill pgrestart sigterm sigkill revoke; do
    FG_FAULT_DURATION="$DUR" "$LT_DIR/scripts/fault.sh" "$kind" || FAILED=1
  done
  FG_ENGINE_DURATION="$DUR" "$LT_DIR/scripts/engine-fault.sh" || FAILED=1
fi

if [[ "$SKIP" != *" chaos "* ]]; then
  FG_CHAOS_DURATION="$DUR" "$LT_DIR/scripts/chaos.sh" || FAILED=1
fi

if [[ "$SKIP" != *" retention "* ]]; then
  "$LT_DIR/scripts/retention-cost.sh" || FAILED=1
fi

ensure_chart_tools
"$PY" "$LT_DIR/scripts/report.py" "$FG_OUT" --charts "$ROOT_DIR/docs/benchmarks" | tee "$FG_OUT/summary.md"
log "suite done: $FG_OUT (audit failures: $FAILED)"
exit "$FAILED"
