#!/usr/bin/env bash
# Fault scenario: retrying clients (RetryStorm) against a service on a PostgreSQL this script
# starts itself (loopback only, under unshare -U), a fault injected mid-run, then the no-drop audit.
#
# usage: fault.sh connkill|pgrestart|sigterm|sigkill|revoke
#   connkill   terminates every database connection of the service (pg_terminate_backend), twice
#   revoke     the service runs as a role of its own (not a superuser, owner of its database);
#              INSERT on workflow_instance is revoked from it for FG_REVOKE_FOR [10] s, then granted
#              again: the starts meanwhile must be 503 STORE_UNAVAILABLE (never 400), retried later
#   pgrestart  restarts PostgreSQL (pg_ctl restart -m fast)
#   sigterm    SIGTERM to the service (graceful drain), then starts it again
#   sigkill    SIGKILL to the service, then starts it again
# Environment (defaults in brackets): FG_FAULT_RATE [300] new keys/s, FG_FAULT_DURATION [40] s,
# FG_FAULT_AT [15] s after the load starts, plus those of lib.sh.
# Exit status: that of the audit (1 = mismatch).
source "$(dirname "$0")/lib.sh"
KIND="${1:?usage: fault.sh connkill|pgrestart|sigterm|sigkill|revoke}"
RATE="${FG_FAULT_RATE:-300}"
DUR="${FG_FAULT_DURATION:-40}"
AT="${FG_FAULT_AT:-15}"
FG_PG_PORT="${FG_PG_PORT}"
trap cleanup EXIT
[ "${FG_SKIP_BUILD:-}" = 1 ] || build_service
FG_OUT="$FG_OUT/fault-$KIND"; mkdir -p "$FG_OUT"
start_pg
SVC_ENV=(FLOWGATE_DB_URL="$PG_URL" FLOWGATE_DB_USER=postgres FLOWGATE_DB_PASSWORD=postgres)
if [ "$KIND" = revoke ]; then
  # privileges only bind a role that is not a superuser: the service gets one, owning its database
  psql "$PG_URL" -U postgres -X -q -c "drop database if exists flowgate_perm with (force)" \
    -c "do \$\$ begin if not exists (select from pg_roles where rolname='flowgate_svc') then create role flowgate_svc login; end if; end \$\$" \
    -c "create database flowgate_perm owner flowgate_svc"
  PG_URL="postgresql://127.0.0.1:$FG_PG_PORT/flowgate_perm"
  SVC_ENV=(FLOWGATE_DB_URL="$PG_URL" FLOWGATE_DB_USER=flowgate_svc FLOWGATE_DB_PASSWORD=unused)
fi
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
  revoke)
    psql "$PG_URL" -U postgres -X -q -c "revoke insert on workflow_instance from flowgate_svc"
    log "FAULT: INSERT on workflow_instance revoked from the service's role"
    sleep "${FG_REVOKE_FOR:-10}"
    psql "$PG_URL" -U postgres -X -q -c "grant insert on workflow_instance to flowgate_svc"
    log "FAULT: INSERT granted again" ;;
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
curl -s --max-time 2 "$FG_BASE_URL/q/metrics" | grep -E '^flowgate_unaccounted|^flowgate_start_in_flight|^flowgate_start_failed_total' >> "$FG_OUT/service-errors.txt" || true
if [ "$KIND" = revoke ] && grep -q '"st":400' "$FG_OUT/record-fault-$KIND.jsonl"; then
  log "a start was answered 400 during the revoke: the store's fault was blamed on the request"; rc=1
fi
log "fault $KIND done: audit exit $rc"
exit "$rc"
