-- DolphinScheduler-compatible starts: what a DS start asked for beyond a plain run, stored on the
-- instance so the engine honours it from any replica.
--   start_nodes: the task codes to run (start-from-node, resolved at start time from the DAG and
--                taskDependType); null runs the whole DAG
--   run_after:   a serial complement chains its dates: this instance is claimed only once the
--                instance it runs after has reached a final state
--   test_flag:   DS 3.2 testFlag (a test run), shown by the DS read
--   trigger_code: DS 3.2 trigger code shared by all instances of one start (complement: every
--                date); a plain start's trigger code is derived from its id and not stored
--   complement_of: the request key of the complement that created this instance
alter table workflow_instance
  add column start_nodes text[],
  add column run_after bigint references workflow_instance (id),
  add column test_flag boolean not null default false,
  add column trigger_code bigint,
  add column complement_of text;

create index workflow_instance_trigger_idx on workflow_instance (project_code, trigger_code)
  where trigger_code is not null;
create index workflow_instance_run_after_idx on workflow_instance (run_after)
  where run_after is not null;

-- trigger codes of stored triggers start beyond any derived one (2^40 + instance id)
create sequence dolphinscheduler_trigger_seq start with 2199023255552 increment by 1;
