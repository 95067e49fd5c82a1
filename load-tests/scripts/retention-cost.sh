#!/usr/bin/env bash
# Data-lifecycle cost on a PostgreSQL of its own (no service needed): fills the migrated schema
# with FG_RETENTION_ROWS finished instances (1 task, 6 transitions each), then reports per backend
# CPU second and per wall second: retention deletes (batch 1000 and 5000, random and id order),
# the writer's insert (batch 1, 16, 64, 256) and the master's claim against SUBMITTED backlogs.
# Figures go to $FG_OUT/retention-cost.txt. Loopback only; every step is bounded by its size.
# Environment: FG_RETENTION_ROWS [200000], FG_PG_PORT [25433], FG_OUT.
source "$(dirname "$0")/lib.sh"
ROWS="${FG_RETENTION_ROWS:-200000}"
R="$LT_DIR/retention"
OUT="$FG_OUT/retention-cost.txt"
trap stop_pg EXIT
start_pg
export PGURL="postgresql://postgres@127.0.0.1:$FG_PG_PORT/flowgate"
psql "postgresql://postgres@127.0.0.1:$FG_PG_PORT/postgres" -qc "create database flowgate"
for f in $(ls "$ROOT_DIR"/src/main/resources/db/migration/V*__*.sql | sort -V); do
  psql "$PGURL" -q -v ON_ERROR_STOP=1 -f "$f"
done
log "generating $ROWS finished instances"
"$R/generate.sh" "$ROWS" 100000 >>"$FG_OUT/suite.log"
{
  echo "# $(date -Is) rows=$ROWS load: $(cut -d' ' -f1-3 /proc/loadavg)"
  psql "$PGURL" -At -c "select 'bytes per instance: ' || (sum(pg_total_relation_size(c))/$ROWS)::bigint
    from unnest(array['workflow_instance','task_instance','instance_transition']::regclass[]) c"
  for b in 1000 5000; do
    echo "delete random   batch $b: $("$R/cpu-per-batch.sh" "$R/delete-batch.sql" "$b" 5)"
    echo "delete id-order batch $b: $("$R/cpu-per-batch.sh" "$R/delete-batch-by-id.sql" "$b" 5)"
  done
  for spec in 1:300 16:100 64:50 256:20; do
    echo "insert batch ${spec%:*}: $("$R/cpu-per-batch.sh" "$R/insert-batch.sql" "${spec%:*}" "${spec#*:}")"
  done
  for n in 1000 10000 100000; do
    psql "$PGURL" -qc "update workflow_instance set state = 'SUCCESS', ended_at = now()
      where state = 'SUBMITTED'"
    psql "$PGURL" -qc "insert into workflow_instance (project_code, workflow_code, workflow_version,
        state, priority, failure_strategy, idempotency_key, request_id, request_fingerprint)
      select 1, 2, 1, 'SUBMITTED', 'MEDIUM', 'END', 'b-' || gen_random_uuid(), gen_random_uuid(), 'f'
        from generate_series(1, $n)" -c "analyze workflow_instance"
    echo "claim 200, backlog $n: $("$R/cpu-per-batch.sh" "$R/claim.sql" 200 10)"
  done
} | tee "$OUT"
log "retention cost: $OUT"
