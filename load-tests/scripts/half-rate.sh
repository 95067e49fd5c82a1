#!/usr/bin/env bash
# Latency at half the maximum rate: PacedRate (256 keep-alive clients, each paced) at half the
# best durable-start throughput of the admission benchmark (batched, tracing on), on the same kind
# of server (api role only, batched, tracing on). Target: p99 <= 50 ms.
# Environment (defaults in brackets): FG_HALF_RATE [computed from the records of
# admission-start-batched-tracing-c*], FG_HALF_DURATION [30], FG_HALF_CONNECTIONS [256].
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
RATE="${FG_HALF_RATE:-}"
if [ -z "$RATE" ]; then
  RATE=$("$PY" - "$FG_OUT" <<'PYEOF'
import glob, json, sys, os
best = 0.0
for rec in glob.glob(os.path.join(sys.argv[1], "record-admission-start-batched-tracing-c*.jsonl")):
    ts, ok = [], 0
    for line in open(rec):
        o = json.loads(line)
        if o.get("meta") or o.get("sent"):
            continue
        ts.append((o["t"], o["t"] + o["rt"]))
        ok += 200 <= o["st"] < 300
    if ts:
        span = (max(b for _, b in ts) - min(a for a, _ in ts)) / 1000.0
        best = max(best, ok / span)
print(int(best / 2) if best else "")
PYEOF
)
fi
[ -n "$RATE" ] || { log "no admission benchmark record in $FG_OUT: set FG_HALF_RATE"; exit 2; }
[ "${FG_SKIP_BUILD:-}" = 1 ] || build_service
QUARKUS_OTEL_EXPORTER_OTLP_ENABLED="${FG_TRACING_EXPORT:-true}" start_service half-rate \
  FLOWGATE_ROLES=api FLOWGATE_STORE_WRITE_MODE=batched QUARKUS_OTEL_SDK_DISABLED=false
run_sim AdmissionBenchmark warmup-half-rate -Dflowgate.concurrency=32 -Dflowgate.duration=10
start_sampler half-rate
# a failed simulation (an assertion, such as the success ratio) still gets its no-drop audit
sim=0
run_sim PacedRate half-rate -Dflowgate.rate="$RATE" -Dflowgate.connections="${FG_HALF_CONNECTIONS:-256}" \
  -Dflowgate.duration="${FG_HALF_DURATION:-30}" || sim=1
stop_sampler
audit half-rate
exit "$sim"
