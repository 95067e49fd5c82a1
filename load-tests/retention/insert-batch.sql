-- The batched writer's insert (BatchWriter.INSERT: unnest of 15 arrays, ON CONFLICT DO NOTHING,
-- one SUBMITTED transition per row) for :batch fresh keys, the arrays built server-side.
-- pgbench -n -c 4 -T 20 -D batch=256 -f insert-batch.sql
with arrays as (
  select array_agg(gen_random_uuid()) a1, array_agg(1::bigint) a2, array_agg(2::bigint) a3,
         array_agg(1) a4, array_agg('k-' || gen_random_uuid()) a5, array_agg(false) a6,
         array_agg(md5(random()::text)) a7, array_agg('{"a":"b"}'::text) a8,
         array_agg('MEDIUM'::text) a9, array_agg('END'::text) a10, array_agg(null::text) a11,
         array_agg(null::text) a12, array_agg(false) a13,
         array_agg('00-' || md5(random()::text) || '-' || left(md5(random()::text), 16) || '-01') a14,
         array_agg(null::text) a15
    from generate_series(1, :batch)
), input as (
  select t.* from arrays, unnest(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15)
    as t(request_id, project_code, workflow_code, workflow_version, idempotency_key,
         key_generated, request_fingerprint, params, priority, failure_strategy,
         schedule_time, worker_group, dry_run, trace_parent, trace_state)
), ins as (
  insert into workflow_instance (request_id, project_code, workflow_code, workflow_version,
         idempotency_key, key_generated, request_fingerprint, params, priority,
         failure_strategy, schedule_time, worker_group, dry_run, trace_parent, trace_state, state)
  select request_id, project_code, workflow_code, workflow_version, idempotency_key,
         key_generated, request_fingerprint, params::jsonb, priority, failure_strategy,
         schedule_time::timestamptz, worker_group, dry_run, trace_parent, trace_state, 'SUBMITTED'
    from input
  on conflict (project_code, idempotency_key) do nothing
  returning id, request_id, created_at
), history as (
  insert into instance_transition (instance_id, state, detail)
  select id, 'SUBMITTED', 'created' from ins
)
select count(*) from ins;
