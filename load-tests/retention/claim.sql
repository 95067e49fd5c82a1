-- The master's claim (InstanceClaimer.CLAIM as of this measurement) of :batch instances, rolled
-- back so that the backlog stays the same size between runs.
-- pgbench -n -c 1 -t 20 -D batch=200 -f claim.sql
begin;
with c as (select id, state as prev_state, lease_owner as prev_owner
             from workflow_instance
            where state = 'SUBMITTED'
               or (state in ('RUNNING', 'STOPPING') and lease_expires_at < now())
            order by created_at limit :batch for no key update skip locked)
update workflow_instance i set
  state = case when c.prev_state = 'SUBMITTED' then 'RUNNING' else i.state end,
  lease_owner = 'bench', lease_expires_at = now() + make_interval(secs => 30),
  claim_count = i.claim_count + 1, started_at = coalesce(i.started_at, now()), updated_at = now()
from c where i.id = c.id;
rollback;
