#!/usr/bin/env python3
"""No-drop audit: compares a simulation's record (every key sent, every answer got) with the
database, key by key. Python 3 standard library plus the psql client.

usage: audit.py --db postgresql://127.0.0.1:PORT/postgres RECORD.jsonl [RECORD.jsonl ...]

Mismatches (exit status 1 when any):
  answered_2xx_no_instance   a key answered 200/201 (or DolphinScheduler code 0) without a row
  answered_id_differs        the instance id answered is not the row's id, or two answers differ
  duplicate_instances        a key with more than one row
  instance_without_2xx       a row whose key never got a 2xx and never got an ambiguous answer
                             (i.e. the service said "nothing committed" and committed anyway)
  instance_not_in_record     a row in the run's project with a key the run never sent
Reported separately (not a mismatch): instances whose key got no 2xx but got an ambiguous answer
(503 OUTCOME_UNKNOWN, timeout, refused/reset connection, or
an attempt recorded as sent whose answer was never recorded: UNRECORDED) - 'ambiguous_committed' - and keys whose
last answer was ambiguous with no row - 'ambiguous_not_committed'.
"""
import argparse
import collections
import csv
import io
import json
import os
import subprocess
import sys

AMBIGUOUS = {"OUTCOME_UNKNOWN", "TIMEOUT", "NO_ANSWER", "UNRECORDED"}


def is_2xx(ans):
    if ans["ep"] == "dolphin":
        return ans["st"] == 200 and ans["code"] == "0"
    return 200 <= ans["st"] < 300


def load(paths):
    metas, answers, sent = [], [], []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    o = json.loads(line)
                except ValueError:
                    print(f"warning: {p}:{n} unreadable line skipped (run cut short?)", file=sys.stderr)
                    continue
                (metas if o.get("meta") else sent if o.get("sent") else answers).append(o)
    # an attempt sent whose answer was never recorded (run cut short, client killed) counts as
    # an ambiguous answer "UNRECORDED"
    answered = {(a["key"], a["a"]) for a in answers}
    for s in sent:
        if (s["key"], s["a"]) not in answered:
            answers.append({"t": s["t"], "key": s["key"], "a": s["a"], "st": 0, "code": "UNRECORDED",
                            "id": "", "rt": 0, "ra": "", "ep": s["ep"]})
    return metas, answers


def db_rows(db, projects):
    sql = ("copy (select project_code, idempotency_key, id from workflow_instance "
           "where project_code in (%s)) to stdout with csv" % ",".join(str(p) for p in projects))
    env = dict(os.environ)
    env.setdefault("PGUSER", "postgres")
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    out = subprocess.run(["psql", db, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         check=True, capture_output=True, text=True, env=env).stdout
    rows = collections.defaultdict(list)
    for project, key, iid in csv.reader(io.StringIO(out)):
        rows[(int(project), key)].append(int(iid))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="postgresql://host:port/database (user from PGUSER, default postgres)")
    ap.add_argument("--json", help="also write the summary as JSON to this file")
    ap.add_argument("records", nargs="+")
    a = ap.parse_args()

    metas, answers = load(a.records)
    metas = [m for m in metas if m.get("target") != "echo"]
    if not metas:
        print("nothing to audit (no start record)")
        return 0
    projects = sorted({m["project"] for m in metas})
    project_of_run = {m["runId"]: m["project"] for m in metas}
    by_key = collections.defaultdict(list)
    for ans in answers:
        if ans["ep"] == "echo":
            continue
        run = ans["key"].rsplit("-", 1)[0]
        project = project_of_run.get(run, projects[0])
        by_key[(project, ans["key"])].append(ans)
    rows = db_rows(a.db, projects)

    status_counts = collections.Counter()
    for lst in by_key.values():
        for ans in lst:
            status_counts[f'{ans["st"]} {ans["code"]}'.strip()] += 1

    problems = collections.defaultdict(list)
    info = collections.Counter()
    for k, lst in by_key.items():
        lst.sort(key=lambda x: (x["a"], x["t"]))
        ok = [x for x in lst if is_2xx(x)]
        ids = rows.get(k, [])
        ambiguous_any = any(x["code"] in AMBIGUOUS for x in lst)
        info["keys"] += 1
        if ok:
            info["keys_2xx"] += 1
        if len(ids) > 1:
            problems["duplicate_instances"].append((k, ids))
        if ok and not ids:
            problems["answered_2xx_no_instance"].append((k, [x["st"] for x in ok]))
        if ok and ids:
            answered = {x["id"] for x in ok if x["id"]}
            if answered != {str(i) for i in ids[:1]} or len(answered) > 1:
                problems["answered_id_differs"].append((k, sorted(answered), ids))
        if ids and not ok:
            if ambiguous_any:
                info["ambiguous_committed"] += 1
            else:
                problems["instance_without_2xx"].append((k, [f'{x["st"]} {x["code"]}' for x in lst]))
        if not ids and not ok:
            if lst[-1]["code"] in AMBIGUOUS:
                info["ambiguous_not_committed"] += 1
            else:
                info["refused_not_committed"] += 1
        if not ok and lst[-1]["code"] in AMBIGUOUS:
            info["last_answer_ambiguous"] += 1
    for k in rows:
        if k not in by_key:
            problems["instance_not_in_record"].append((k, rows[k]))

    instances = sum(len(v) for v in rows.values())
    requests = sum(len(v) for v in by_key.values())
    names = ["answered_2xx_no_instance", "answered_id_differs", "duplicate_instances",
             "instance_without_2xx", "instance_not_in_record"]
    mismatches = sum(len(problems[n]) for n in names)

    print(f"records: {', '.join(a.records)}")
    print(f"projects: {projects}")
    print(f"{'requests sent':32} {requests:>9}")
    print(f"{'distinct keys':32} {info['keys']:>9}")
    print(f"{'keys answered 2xx':32} {info['keys_2xx']:>9}")
    print(f"{'instances in database':32} {instances:>9}")
    print("answers by status and code:")
    for c, n in sorted(status_counts.items()):
        print(f"  {c:30} {n:>9}")
    print("ambiguous answers (reported, not mismatches):")
    print(f"  {'committed, no 2xx (ambiguous)':30} {info['ambiguous_committed']:>9}")
    print(f"  {'not committed, last ambiguous':30} {info['ambiguous_not_committed']:>9}")
    print(f"  {'not committed, refused (4xx/5xx)':30} {info['refused_not_committed']:>9}")
    print("mismatches:")
    for n in names:
        print(f"  {n:30} {len(problems[n]):>9}")
        for example in problems[n][:5]:
            print(f"      e.g. {example}")
    print(f"RESULT: {'FAIL' if mismatches else 'PASS'} ({mismatches} mismatches)")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"requests": requests, "keys": info["keys"], "keys_2xx": info["keys_2xx"],
                       "instances": instances, "answers": dict(status_counts),
                       "ambiguous_committed": info["ambiguous_committed"],
                       "ambiguous_not_committed": info["ambiguous_not_committed"],
                       "refused_not_committed": info["refused_not_committed"],
                       "mismatches": {n: len(problems[n]) for n in names},
                       "result": "FAIL" if mismatches else "PASS"}, f, indent=1)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
