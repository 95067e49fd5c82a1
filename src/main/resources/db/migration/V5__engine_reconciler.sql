-- Engine: indexes of the reconciler's scans for stuck shapes (RUNNING tasks past their timeout,
-- RUNNING instances with no progress), so each pass reads the oldest candidates in order.

create index task_instance_running_started_idx on task_instance (started_at)
  where state = 'RUNNING';

create index workflow_instance_running_updated_idx on workflow_instance (updated_at)
  where state in ('RUNNING', 'STOPPING');
