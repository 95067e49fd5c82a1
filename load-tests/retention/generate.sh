#!/usr/bin/env bash
# Fills a migrated Flowgate schema with N finished instances of one project, each with one task
# and six state transitions (what a one-task NOOP instance leaves behind), ended between 30 days
# and 1 day ago, in chunks of CHUNK instances per transaction.
# usage: PGURL=postgresql://postgres@127.0.0.1:55416/flowgate generate.sh 5000000 [500000]
set -euo pipefail
N=${1:?number of instances}
CHUNK=${2:-500000}
: "${PGURL:?PGURL=postgresql://user@host:port/db}"
psql "$PGURL" -v ON_ERROR_STOP=1 -q <<'SQL'
insert into project (code, name) values (1, 'bench') on conflict do nothing;
insert into workflow (code, project_code, name, release_state) values (2, 1, 'bench', 'ONLINE')
  on conflict do nothing;
insert into workflow_version (workflow_code, version, dag) values (2, 1, '{"tasks":[],"edges":[]}')
  on conflict do nothing;
SQL
done=0
while [ "$done" -lt "$N" ]; do
  n=$(( N - done < CHUNK ? N - done : CHUNK ))
  psql "$PGURL" -v ON_ERROR_STOP=1 -q -v n="$n" <<'SQL'
begin;
create temp table ids on commit drop as
  select nextval('workflow_instance_id_seq') as id,
         now() - interval '1 day' - random() * interval '29 days' as ended
    from generate_series(1, :n);
insert into workflow_instance (id, project_code, workflow_code, workflow_version, state, priority,
       failure_strategy, params, idempotency_key, request_id, request_fingerprint, trace_parent,
       created_at, updated_at, started_at, ended_at)
select id, 1, 2, 1, 'SUCCESS', 'MEDIUM', 'END', '{"a":"b"}', 'key-' || id, gen_random_uuid(),
       md5(id::text), '00-' || md5(id::text) || md5(id::text)::varchar(16) || '-01',
       ended - interval '2 seconds', ended, ended - interval '1 second', ended
  from ids;
insert into task_instance (instance_id, task_code, task_type, state, advanced, created_at,
       updated_at, started_at, ended_at)
select id, 'only', 'NOOP', 'SUCCESS', true, ended, ended, ended, ended from ids;
insert into instance_transition (instance_id, task_code, attempt, state, detail, at)
select id, t.task_code, t.attempt, t.state, t.detail, ended
  from ids, (values (null, null, 'SUBMITTED', 'created'), (null, 1, 'RUNNING', 'claimed'),
                    ('only', 1, 'DISPATCHED', null), ('only', 1, 'RUNNING', null),
                    ('only', 1, 'SUCCESS', null), (null, null, 'SUCCESS', null))
       as t(task_code, attempt, state, detail);
commit;
SQL
  done=$(( done + n ))
  echo "$(date +%T) $done instances"
done
psql "$PGURL" -q -c "vacuum analyze workflow_instance, task_instance, instance_transition"
