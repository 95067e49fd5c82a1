-- Engine: which finished tasks the owning master has already taken into account, and the
-- indexes of the master's and the workers' claim, advance and lease queries.

alter table task_instance add column advanced boolean not null default false;

-- finished tasks whose result the owning master has not yet advanced the DAG with
create index task_instance_unadvanced_idx on task_instance (instance_id)
  where not advanced and state in ('SUCCESS', 'FAILURE', 'STOPPED');

-- instances a master owns (heartbeat, advance)
create index workflow_instance_owner_idx on workflow_instance (lease_owner)
  where state in ('RUNNING', 'STOPPING');

-- tasks a worker holds (heartbeat, release)
create index task_instance_owner_idx on task_instance (lease_owner) where state = 'RUNNING';

-- backstops of the conditional updates: one SUCCESS per task attempt, one owner per claim
create unique index instance_transition_one_success_idx
  on instance_transition (instance_id, task_code, attempt)
  where task_code is not null and state = 'SUCCESS';
create unique index instance_transition_one_claim_idx
  on instance_transition (instance_id, attempt)
  where task_code is null and state = 'RUNNING';
