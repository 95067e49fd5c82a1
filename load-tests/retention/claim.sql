-- The master's claim (InstanceClaimer.CLAIM: expired leases first, then SUBMITTED instances in
-- created_at order whose serial predecessor, if any, is final) of :batch instances, rolled back
-- so that the backlog stays the same size between runs.
-- pgbench -n -c 1 -t 20 -D batch=200 -f claim.sql
begin;
with expired as (select id, state as prev_state, lease_owner as prev_owner
                   from workflow_instance
                  where state in ('RUNNING', 'STOPPING') and lease_expires_at < now()
                  order by lease_expires_at limit :batch for no key update skip locked),
     submitted as (select id, state as prev_state, lease_owner as prev_owner
                     from workflow_instance where state = 'SUBMITTED'
                      and (run_after is null or exists (select 1 from workflow_instance p
                            where p.id = workflow_instance.run_after
                              and p.state in ('SUCCESS', 'FAILURE', 'STOPPED')))
                    order by created_at limit :batch for no key update skip locked),
     c as ((select * from expired) union all (select * from submitted) limit :batch)
update workflow_instance i set
  state = case when c.prev_state = 'SUBMITTED' then 'RUNNING' else i.state end,
  lease_owner = 'bench', lease_expires_at = now() + make_interval(secs => 30),
  claim_count = i.claim_count + 1, started_at = coalesce(i.started_at, now()), updated_at = now()
from c where i.id = c.id;
rollback;
