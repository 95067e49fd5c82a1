-- The retention batch of delete-batch.sql, choosing the instances in id order instead of ended_at
-- order: on generated data whose ended_at is random this gives the page locality real data has
-- (instances end in about the order they were created). Measurement only; not the job's query.
begin;
select pg_try_advisory_xact_lock(5074553438413878321);
create temp table if not exists doomed (id bigint) on commit delete rows;
insert into doomed
select id from workflow_instance
 where project_code = 1 and state in ('SUCCESS', 'FAILURE', 'STOPPED')
   and ended_at < now() - interval '7 days'
 order by id limit :batch for update skip locked;
with t as (delete from task_instance where instance_id in (select id from doomed) returning 1),
     h as (delete from instance_transition where instance_id in (select id from doomed) returning 1),
     i as (delete from workflow_instance where id in (select id from doomed)
            and state in ('SUCCESS', 'FAILURE', 'STOPPED') returning 1)
select (select count(*) from i), (select count(*) from t), (select count(*) from h);
commit;
