#!/usr/bin/env python3
"""Turns the records of a run directory into figures and charts.

usage: report.py RUN_DIR [--charts DIR] [--only SUBSTRING ...] [--markdown FILE]

Reads every record-*.jsonl (one line per answer, written by the simulations), metrics-*.csv (queue
depth sampled from /q/metrics) and audit-*.json under RUN_DIR. For each run prints requests,
answers by code, instances, mismatches, throughput (2xx answers per second between the first send
and the last answer), p50/p99 latency; writes RUN_DIR/summary.json; with --charts draws, per run,
throughput and p50/p99 per second, the outcome breakdown per second and the queue depth
(PNG, matplotlib), plus a comparison chart of the admission benchmark.
Use the system python3 (/usr/bin/python3) with Debian's python3-matplotlib (lib.sh installs it; without it only the table is printed).
"""
import argparse
import collections
import glob
import json
import os
import sys


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def ok(a):
    if a["ep"] == "dolphin":
        return a["st"] == 200 and a["code"] == "0"
    return 200 <= a["st"] < 300


def label(a):
    if ok(a):
        return str(a["st"])
    return f'{a["st"]} {a["code"]}'.strip()


def load_run(path):
    meta, ans = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if o.get("meta"):
                meta = o
            elif o.get("sent"):
                continue
            else:
                ans.append(o)
    return meta, ans


def summarize(name, meta, ans, audit):
    s = {"run": name, "simulation": meta.get("simulation"), "target": meta.get("target")}
    if not ans:
        s["requests"] = 0
        return s
    t0 = min(a["t"] for a in ans)
    t1 = max(a["t"] + a["rt"] for a in ans)
    span = max((t1 - t0) / 1000.0, 0.001)
    good = [a for a in ans if ok(a)]
    s.update({
        "requests": len(ans),
        "keys": len({a["key"] for a in ans}),
        "answers": dict(sorted(collections.Counter(label(a) for a in ans).items())),
        "seconds": round(span, 1),
        "throughput_2xx": round(len(good) / span, 1),
        "throughput_all": round(len(ans) / span, 1),
        "p50_2xx_ms": pct([a["rt"] for a in good], 50),
        "p99_2xx_ms": pct([a["rt"] for a in good], 99),
        "p50_all_ms": pct([a["rt"] for a in ans], 50),
        "p99_all_ms": pct([a["rt"] for a in ans], 99),
        "max_ms": max(a["rt"] for a in ans),
    })
    if audit:
        s["instances"] = audit.get("instances")
        s["mismatches"] = sum(audit.get("mismatches", {}).values())
        s["ambiguous_committed"] = audit.get("ambiguous_committed")
        s["audit"] = audit.get("result")
    return s


def per_second(ans):
    t0 = min(a["t"] for a in ans)
    buckets = collections.defaultdict(list)
    for a in ans:
        buckets[int((a["t"] + a["rt"] - t0) // 1000)].append(a)
    return t0, buckets


def chart_run(name, ans, metrics_csv, out_dir, plt):
    if not ans:
        return None
    t0, b = per_second(ans)
    secs = list(range(0, max(b) + 1))
    fig, axes = plt.subplots(4, 1, figsize=(10, 11), sharex=True)
    ax = axes[0]
    ax.plot(secs, [sum(1 for a in b.get(x, []) if ok(a)) for x in secs], label="2xx answers/s")
    ax.plot(secs, [sum(1 for a in b.get(x, []) if not ok(a)) for x in secs], label="other answers/s")
    ax.set_ylabel("answers / s"); ax.legend(loc="upper right"); ax.set_title(name)
    ax = axes[1]
    p50 = [pct([a["rt"] for a in b.get(x, [])], 50) for x in secs]
    p99 = [pct([a["rt"] for a in b.get(x, [])], 99) for x in secs]
    ax.plot(secs, [v if v is not None else float("nan") for v in p50], label="p50")
    ax.plot(secs, [v if v is not None else float("nan") for v in p99], label="p99")
    ax.set_ylabel("latency ms (all answers)"); ax.set_yscale("symlog", linthresh=10); ax.legend(loc="upper right")
    ax = axes[2]
    labels = [l for l, _ in collections.Counter(label(a) for a in ans).most_common()]
    bottom = [0] * len(secs)
    for l in labels:
        ys = [sum(1 for a in b.get(x, []) if label(a) == l) for x in secs]
        ax.bar(secs, ys, bottom=bottom, label=l, width=1.0)
        bottom = [p + q for p, q in zip(bottom, ys)]
    ax.set_ylabel("answers by outcome / s"); ax.legend(loc="upper right", fontsize=8)
    ax = axes[3]
    if metrics_csv and os.path.exists(metrics_csv):
        xs, ds = [], []
        with open(metrics_csv) as f:
            next(f, None)
            for line in f:
                parts = line.strip().split(",")
                if len(parts) >= 2 and parts[1]:
                    xs.append((int(parts[0]) - t0) / 1000.0); ds.append(float(parts[1]))
        ax.plot(xs, ds, label="flowgate_admission_queue_depth")
        ax.legend(loc="upper right")
    ax.set_ylabel("queue depth"); ax.set_xlabel("seconds since the first request")
    fig.tight_layout()
    path = os.path.join(out_dir, f"{name}.png")
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def chart_admission(summaries, out_dir, plt):
    rows = [s for s in summaries if s["run"].startswith("admission-") and s.get("requests")]
    if not rows:
        return None
    rows.sort(key=lambda s: s["run"])
    names = [s["run"].replace("admission-", "") for s in rows]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    axes[0].barh(names, [s["throughput_2xx"] for s in rows])
    axes[0].set_xlabel("2xx answers / s"); axes[0].set_title("admission benchmark: throughput")
    axes[1].barh(names, [s["p50_2xx_ms"] or 0 for s in rows], label="p50")
    axes[1].barh(names, [s["p99_2xx_ms"] or 0 for s in rows], left=[s["p50_2xx_ms"] or 0 for s in rows],
                 label="p99 (stacked on p50)", alpha=0.6)
    axes[1].set_xlabel("ms"); axes[1].set_title("latency of 2xx answers"); axes[1].legend()
    fig.tight_layout()
    path = os.path.join(out_dir, "admission-benchmark.png")
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir")
    ap.add_argument("--charts", help="directory for the PNG charts")
    ap.add_argument("--only", nargs="*", default=[], help="chart only runs whose name contains one of these")
    a = ap.parse_args()
    summaries = []
    runs = {}
    for rec in sorted(glob.glob(os.path.join(a.run_dir, "**", "record-*.jsonl"), recursive=True)):
        name = os.path.basename(rec)[len("record-"):-len(".jsonl")]
        if name.startswith("warmup-"):
            continue
        d = os.path.dirname(rec)
        audit = None
        ap_ = os.path.join(d, f"audit-{name}.json")
        if os.path.exists(ap_):
            with open(ap_) as f:
                audit = json.load(f)
        meta, ans = load_run(rec)
        runs[name] = (ans, os.path.join(d, f"metrics-{name}.csv"))
        summaries.append(summarize(name, meta, ans, audit))
    with open(os.path.join(a.run_dir, "summary.json"), "w") as f:
        json.dump(summaries, f, indent=1)
    cols = ["run", "requests", "keys", "instances", "mismatches", "throughput_2xx", "p50_2xx_ms", "p99_2xx_ms", "p99_all_ms", "max_ms"]
    print("| " + " | ".join(cols) + " | answers |")
    print("|" + "---|" * (len(cols) + 1))
    for s in summaries:
        print("| " + " | ".join(str(s.get(c, "")) for c in cols) + " | "
              + ", ".join(f"{k}: {v}" for k, v in s.get("answers", {}).items()) + " |")
    if a.charts:
        try:
            import matplotlib
        except ImportError:
            # a declared dependency (lib.sh installs Debian's python3-matplotlib); without it the
            # table above is the whole report
            print("charts skipped: matplotlib is missing (apt-get install python3-matplotlib)",
                  file=sys.stderr)
            return 0
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        os.makedirs(a.charts, exist_ok=True)
        for name, (ans, mcsv) in runs.items():
            if a.only and not any(o in name for o in a.only):
                continue
            p = chart_run(name, ans, mcsv, a.charts, plt)
            if p:
                print(f"chart: {p}", file=sys.stderr)
        p = chart_admission(summaries, a.charts, plt)
        if p:
            print(f"chart: {p}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
