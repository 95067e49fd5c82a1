-- Fills workflow_instance with :n finished instances of project 1 as fast as PostgreSQL allows:
-- one transaction that truncates the table first (with wal_level=minimal the rows then skip the
-- WAL), foreign-key triggers off, the secondary indexes dropped and rebuilt by sorting afterwards.
-- Instances only (no task or history rows): what the api role's starts leave in workflow_instance.
-- ended_at grows with id (from 30 days ago to 1 day ago), as real instances end in about the order
-- they were created. usage: psql -v n=5000000 -f bulk-load.sql (on a database of its own)
\set ON_ERROR_STOP on
insert into project (code, name) values (1, 'bench') on conflict do nothing;
insert into workflow (code, project_code, name, release_state) values (2, 1, 'bench', 'ONLINE')
  on conflict do nothing;
insert into workflow_version (workflow_code, version, dag) values (2, 1, '{"tasks":[],"edges":[]}')
  on conflict do nothing;
begin;
set local session_replication_role = replica;
set local maintenance_work_mem = '1GB';
create temp table saved_indexes on commit drop as
  select indexname, indexdef from pg_indexes
   where tablename = 'workflow_instance'
     and indexname not in ('workflow_instance_pkey', 'workflow_instance_idempotency');
select format('drop index %I', indexname) from saved_indexes \gexec
alter table workflow_instance drop constraint workflow_instance_idempotency;
truncate workflow_instance cascade;
insert into workflow_instance (id, project_code, workflow_code, workflow_version, state, priority,
       failure_strategy, params, idempotency_key, request_id, request_fingerprint, trace_parent,
       created_at, updated_at, started_at, ended_at)
select g.id, 1, 2, 1, 'SUCCESS', 'MEDIUM', 'END', '{"a":"b"}', 'key-' || g.id, gen_random_uuid(),
       md5(g.id::text), '00-' || md5(g.id::text) || md5(g.id::text)::varchar(16) || '-01',
       e.ended - interval '2 seconds', e.ended, e.ended - interval '1 second', e.ended
  from generate_series(1, :n) as g(id),
       lateral (select now() - interval '30 days' + (g.id::float8 / :n) * interval '29 days' as ended) e;
select setval('workflow_instance_id_seq', :n);
alter table workflow_instance
  add constraint workflow_instance_idempotency unique (project_code, idempotency_key);
select indexdef from saved_indexes \gexec
commit;
