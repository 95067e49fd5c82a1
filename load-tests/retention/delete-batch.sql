-- One retention batch as RetentionStore runs it (lock, select the oldest finished instances past
-- the horizon, delete their tasks, history and the instances), in one transaction, for pgbench:
-- pgbench -n -c 1 -t 40 -D batch=1000 -f delete-batch.sql
begin;
select pg_try_advisory_xact_lock(5074553438413878321);
create temp table if not exists doomed (id bigint) on commit delete rows;
insert into doomed
select d.id from project p cross join lateral (
  select w.id from workflow_instance w
   where w.project_code = p.code and w.state in ('SUCCESS', 'FAILURE', 'STOPPED')
     and w.ended_at < now() - coalesce(make_interval(days => p.retention_days), 604800 * interval '1 second')
   order by w.ended_at limit :batch for update of w skip locked) d
limit :batch;
with t as (delete from task_instance where instance_id in (select id from doomed) returning 1),
     h as (delete from instance_transition where instance_id in (select id from doomed) returning 1),
     i as (delete from workflow_instance where id in (select id from doomed)
            and state in ('SUCCESS', 'FAILURE', 'STOPPED') returning 1)
select (select count(*) from i), (select count(*) from t), (select count(*) from h);
commit;
