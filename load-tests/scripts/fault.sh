#!/usr/bin/env bash
# Fault scenario: retrying clients (RetryStorm) against a service on a PostgreSQL this script
# starts itself (loopback only, under unshare -U), a fault injected mid-run, then the no-drop audit.
#
# usage: fault.sh connkill|pgrestart|sigterm|sigkill
#   connkill   terminates every database connection of the service (pg_terminate_backend), twice
#   pgrestart  restarts PostgreSQL (pg_ctl restart -m fast)
#   sigterm    SIGTERM to the service (graceful drain), then starts it again
#   sigkill    SIGKILL to the service, then starts it again
# Environment (defaults in brackets): FG_FAULT_RATE [300] new keys/s, FG_FAULT_DURATION [40] s,
# FG_FAULT_AT [15] s after the load starts, plus those of lib.sh.
# Exit status: that of the audit (1 = mismatch).
source "$(dirname "$0")/lib.sh"
KIND="${1:?usage: fault.sh connkill|pgrestart|sigterm|sigkill}"
RATE="${FG_FAULT_RATE:-300}"
DUR="${FG_FAULT_DURATION:-40}"
AT="${FG_FAULT_AT:-15}"
FG_PG_PORT="${FG_PG_PORT}"
trap cleanup EXIT
[ "${FG_SKIP_BUILD:-}" = 1 ] || build_service
FG_OUT="$FG_OUT/fault-$KIND"; mkdir -p "$FG_OUT"
start_pg
SVC_ENV=(FLOWGATE_DB_URL="$PG_URL" FLOWGATE_DB_USER=postgres FLOWGATE_DB_PASSWORD=postgres)
start_service "$KIND-1" "${SVC_ENV[@]}"
start_sampler "fault-$KIND"
run_sim RetryStorm "fault-$KIND" -Dflowgate.rate="$RATE" -Dflowgate.duration="$DUR" &
SIM_PID=$!
wait_for_load "fault-$KIND"
sleep "$AT"
case "$KIND" in
  connkill)
    for round in 1 2; do
      n=$(psql "$PG_URL" -U postgres -X -At -c "select count(pg_terminate_backend(pid)) from pg_stat_activity where usename='postgres' and pid<>pg_backend_pid() and backend_type='client backend'")
      log "FAULT: terminated $n database connections (round $round)"
      sleep 8
    done ;;
  pgrestart)
    log "FAULT: restarting PostgreSQL"; restart_pg ;;
  sigterm|sigkill)
    sig=TERM; [ "$KIND" = sigkill ] && sig=KILL
    log "FAULT: SIG$sig to the service"
    stop_service "$sig"
    start_service "$KIND-2" "${SVC_ENV[@]}" ;;
  *) log "unknown fault $KIND"; exit 2 ;;
esac
wait "$SIM_PID" || true
stop_sampler
rc=0
audit "fault-$KIND" "$PG_URL" || rc=$?
grep -E 'ERROR|unaccounted' "$FG_OUT"/service-*.log | head -5 > "$FG_OUT/service-errors.txt" || true
curl -s --max-time 2 "$FG_BASE_URL/q/metrics" | grep -E '^flowgate_unaccounted' >> "$FG_OUT/service-errors.txt" || true
log "fault $KIND done: audit exit $rc"
exit "$rc"
