#!/usr/bin/env python3
"""Engine audit of the engine fault scenario: what happened to the instances after their start was
acknowledged. Python 3 standard library plus the psql client.

usage: engine_audit.py --db postgresql://127.0.0.1:PORT/postgres --project CODE
                       [--killed OWNER ...] [--json OUT] RECORD.jsonl

Mismatches (exit status 1 when any):
  acknowledged_not_final  an instance whose start was answered 2xx is not SUCCESS/FAILURE/STOPPED
  not_success             an acknowledged instance ended FAILURE or STOPPED (nothing in the
                          scenario may fail one: only its definition or its own tasks can)
  ran_twice               a task attempt that ran on two workers, none of them SIGKILLed
  two_results             a task attempt with more than one SUCCESS/FAILURE in its history
  stuck_tasks             a task still SUBMITTED/DISPATCHED/RUNNING
Reported (not a mismatch): ran_twice_after_sigkill - attempts that ran again because the worker
running them was SIGKILLed (at-least-once), and released - attempts released by a draining worker
or after a refused report.
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys


def psql(db, sql):
    env = dict(os.environ)
    env.setdefault("PGUSER", "postgres")
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    out = subprocess.run(["psql", db, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                          "copy (%s) to stdout with csv" % sql],
                         check=True, capture_output=True, text=True, env=env).stdout
    return list(csv.reader(io.StringIO(out)))


def acknowledged_ids(paths):
    ids = set()
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                try:
                    o = json.loads(line)
                except ValueError:
                    continue
                if not o.get("meta") and not o.get("sent") and 200 <= o.get("st", 0) < 300 and o.get("id"):
                    ids.add(int(o["id"]))
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--project", required=True, type=int)
    ap.add_argument("--killed", nargs="*", default=[], help="lease owners of SIGKILLed workers")
    ap.add_argument("--json")
    ap.add_argument("records", nargs="+")
    a = ap.parse_args()
    killed = {k for k in a.killed if k}
    acked = acknowledged_ids(a.records)
    states = {int(i): s for i, s in psql(a.db, "select id, state from workflow_instance where project_code = %d" % a.project)}
    runs = psql(a.db, (
        "select h.instance_id, h.task_code, h.attempt, h.state, coalesce(h.detail, '')"
        " from instance_transition h join workflow_instance i on i.id = h.instance_id"
        " where i.project_code = %d and h.task_code is not null order by h.id") % a.project)
    stuck = psql(a.db, (
        "select t.id from task_instance t join workflow_instance i on i.id = t.instance_id"
        " where i.project_code = %d and t.state in ('SUBMITTED', 'DISPATCHED', 'RUNNING')") % a.project)
    owners, results, released = {}, {}, 0
    for iid, code, attempt, state, detail in runs:
        key = (int(iid), code, int(attempt))
        if state == "RUNNING" and detail.startswith("running on "):
            owners.setdefault(key, set()).add(detail[len("running on "):])
        if state in ("SUCCESS", "FAILURE"):
            results[key] = results.get(key, 0) + 1
        if state == "DISPATCHED" and ("released" in detail):
            released += 1
    ran_twice = [k for k, o in owners.items() if len(o) > 1 and not (o & killed)]
    after_kill = [k for k, o in owners.items() if len(o) > 1 and (o & killed)]
    summary = {
        "acknowledged": len(acked),
        "instances": len(states),
        "final": sum(1 for s in states.values() if s in ("SUCCESS", "FAILURE", "STOPPED")),
        "success": sum(1 for s in states.values() if s == "SUCCESS"),
        "acknowledged_not_final": sorted(i for i in acked if states.get(i) not in ("SUCCESS", "FAILURE", "STOPPED")),
        "not_success": sorted(i for i in acked if states.get(i) in ("FAILURE", "STOPPED")),
        "ran_twice": [list(k) for k in ran_twice],
        "two_results": [list(k) for k, n in results.items() if n > 1],
        "stuck_tasks": [int(r[0]) for r in stuck],
        "ran_twice_after_sigkill": len(after_kill),
        "released": released,
    }
    bad = [k for k in ("acknowledged_not_final", "not_success", "ran_twice", "two_results", "stuck_tasks") if summary[k]]
    for k, v in summary.items():
        print("%-26s %s" % (k, len(v) if isinstance(v, list) else v))
    for k in bad:
        print("  %s: %s" % (k, summary[k][:20]))
    print("RESULT: %s" % ("FAIL " + ",".join(bad) if bad else "PASS"))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
