#!/usr/bin/env bash
# Runs one simulation against a service that is already running (started by you), then the
# no-drop audit when a database URL is given, then the figures and charts of that run.
#
#   load-tests/run-one.sh --url http://127.0.0.1:8080 [--db postgresql://127.0.0.1:PORT/postgres] \
#       [--token bench-admin] SIMULATION [-Dflowgate.PROP=VALUE ...]
#
# SIMULATION is one of AdmissionBenchmark SteadyRate PacedRate RampToSaturation OverloadBurst
# RetryStorm Soak DolphinCompat. The URL must be a loopback address (the simulations refuse anything else).
# The token is the service's FLOWGATE_ADMIN_TOKEN. Output goes to FG_OUT
# [load-tests/target/runs/<timestamp>]. Exit status: that of the audit (1 = mismatch), else 1 when the
# simulation failed (set-up, crash or one of its Gatling assertions).
set -uo pipefail
URL="" DB="" TOKEN="bench-admin"
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --token) TOKEN="$2"; shift 2 ;;
    *) break ;;
  esac
done
SIM="${1:?usage: run-one.sh --url URL [--db DB_URL] SIMULATION [-Dprop=value ...]}"; shift
source "$(dirname "$0")/scripts/lib.sh"
set +e
FG_BASE_URL="${URL:-$FG_BASE_URL}"
"$ROOT_DIR/mvnw" -q -f "$LT_DIR/pom.xml" -o test-compile 2>/dev/null || "$ROOT_DIR/mvnw" -q -f "$LT_DIR/pom.xml" test-compile
name="$(echo "$SIM" | tr 'A-Z' 'a-z')"
start_sampler "$name"
sim_rc=0
run_sim "$SIM" "$name" -Dflowgate.adminToken="$TOKEN" "$@" || sim_rc=1
stop_sampler
rc=0
if [ -n "$DB" ]; then audit "$name" "$DB" || rc=$?; else log "no --db: audit skipped"; fi
ensure_chart_tools
"$PY" "$LT_DIR/scripts/report.py" "$FG_OUT" --charts "$FG_OUT/charts" | tee "$FG_OUT/summary.md"
[ "$rc" -ne 0 ] || rc=$sim_rc
exit "$rc"
