#!/usr/bin/env bash
# Runs COUNT transactions of a pgbench-style script (with :batch) in ONE session and prints the
# server backend's CPU seconds (utime+stime from /proc) and the wall time, so that a figure taken
# on a shared machine can be read per CPU second. Must run on the database host.
# usage: PGURL=... cpu-per-batch.sh script.sql BATCH COUNT
set -euo pipefail
SCRIPT=$1; BATCH=$2; COUNT=$3
: "${PGURL:?}"
{
  echo 'select pg_backend_pid() as pid \gset'
  echo '\setenv BACKEND_PID :pid'
  echo "\\set batch $BATCH"
  echo '\! awk '"'"'{print "cpu_before", $14+$15}'"'"' /proc/$BACKEND_PID/stat'
  echo '\! date +"wall_before %s.%N"'
  for _ in $(seq "$COUNT"); do echo "\\i $SCRIPT"; done
  echo '\! awk '"'"'{print "cpu_after", $14+$15}'"'"' /proc/$BACKEND_PID/stat'
  echo '\! date +"wall_after %s.%N"'
} | psql "$PGURL" -q -v ON_ERROR_STOP=1 -At 2>&1 | awk -v batch="$BATCH" -v count="$COUNT" '
  /^cpu_before/ {cb=$2} /^cpu_after/ {ca=$2} /^wall_before/ {wb=$2} /^wall_after/ {wa=$2}
  END { cpu=(ca-cb)/100; wall=wa-wb; n=batch*count;
        printf "rows=%d wall=%.2fs backend-cpu=%.2fs per-s(wall)=%.0f per-cpu-s=%.0f\n", n, wall, cpu, n/wall, (cpu>0? n/cpu : 0) }'
