-- Retention: a project may keep its finished instances longer or shorter than the configured
-- default; null means the default (flowgate.retention.period).
alter table project
  add column retention_days integer check (retention_days between 1 and 3650);

-- the retention job's scan: per project, finished instances oldest first
create index workflow_instance_retention_idx
  on workflow_instance (project_code, ended_at)
  where state in ('SUCCESS', 'FAILURE', 'STOPPED');
