-- Retention removes a finished instance while the complement date that ran after it may still be
-- kept (it ended later): the chain link then simply goes away. A date is claimed only once the
-- one before it is final, so a removed predecessor never holds a successor back.
alter table workflow_instance
  drop constraint workflow_instance_run_after_fkey,
  add constraint workflow_instance_run_after_fkey foreign key (run_after)
    references workflow_instance (id) on delete set null;
