#!/usr/bin/env python3
"""Attributes JFR execution samples to categories, for jfr-profile.sh.

A sample counts for the category of its top-most (leaf-most) frame whose class belongs to a known
package; JDK frames (java., jdk., sun.) are passed over, so String.hashCode called by Jackson
counts as JSON. Thread CPU from two /proc/<pid>/task snapshots splits the JVM's CPU into event
loops, workers, GC, JIT and the rest; the categories share the CPU of the sampled Java threads.
Python 3 standard library only.
"""
import argparse
import collections
import datetime
import json

# (class-name prefix, category): first match wins, so the more specific prefixes come first
RULES = [
    ("io.flowgate.api.RequestFingerprint", "fingerprint"),
    ("io.flowgate.api.security.", "auth"),
    ("io.quarkus.security.", "auth"),
    ("io.quarkus.vertx.http.runtime.security.", "auth"),
    ("io.smallrye.jwt.", "auth"),
    ("io.flowgate.api.StartRequest", "validation"),
    ("io.flowgate.api.StrictJson", "validation"),
    ("io.flowgate.api.Utf8Body", "validation"),
    ("io.flowgate.api.Utf8Input", "validation"),
    ("io.flowgate.api.Utf8Check", "validation"),
    ("org.hibernate.validator.", "validation"),
    ("jakarta.validation.", "validation"),
    ("io.flowgate.admission.", "admission"),
    ("io.flowgate.observability.StartLedger", "admission"),
    ("io.flowgate.store.CommitSpans", "tracing"),
    ("io.flowgate.store.", "SQL encode/decode (store, pgclient)"),
    ("io.vertx.pgclient.", "SQL encode/decode (store, pgclient)"),
    ("io.vertx.sqlclient.", "SQL encode/decode (store, pgclient)"),
    ("io.vertx.mutiny.sqlclient.", "SQL encode/decode (store, pgclient)"),
    ("io.vertx.mutiny.pgclient.", "SQL encode/decode (store, pgclient)"),
    ("io.quarkus.reactive.", "SQL encode/decode (store, pgclient)"),
    ("com.fasterxml.jackson.", "JSON (Jackson)"),
    ("io.flowgate.api.StartResponse", "answer (resource, response)"),
    ("io.flowgate.api.StartResource", "answer (resource, response)"),
    ("io.flowgate.api.BenchResource", "answer (resource, response)"),
    ("io.flowgate.api.HttpEdge", "answer (resource, response)"),
    ("io.flowgate.api.ProblemMapper", "answer (resource, response)"),
    ("io.flowgate.api.StartService", "start command (StartService)"),
    ("io.flowgate.definition.", "definitions (cache)"),
    ("org.jboss.resteasy.reactive.", "REST framework (routing, answer writing)"),
    ("io.quarkus.resteasy.reactive.", "REST framework (routing, answer writing)"),
    ("io.micrometer.", "metrics (Micrometer)"),
    ("io.quarkus.micrometer.", "metrics (Micrometer)"),
    ("org.jboss.logging.", "logging"),
    ("org.jboss.logmanager.", "logging"),
    ("io.quarkus.logging.", "logging"),
    ("java.util.logging.", "logging"),
    ("io.opentelemetry.", "tracing"),
    ("io.quarkus.opentelemetry.", "tracing"),
    ("io.flowgate.observability.", "tracing"),
    ("io.smallrye.faulttolerance.", "fault tolerance"),
    ("io.smallrye.mutiny.", "Mutiny"),
    ("io.vertx.mutiny.", "Mutiny"),
    ("io.quarkus.arc.", "CDI, context propagation"),
    ("io.smallrye.context.", "CDI, context propagation"),
    ("com.github.benmanes.caffeine.", "caches (Caffeine)"),
    ("io.netty.", "Vert.x/Netty I/O"),
    ("io.vertx.", "Vert.x/Netty I/O"),
    ("io.quarkus.vertx.", "Vert.x/Netty I/O"),
    ("io.quarkus.", "Quarkus other"),
    ("io.flowgate.", "Flowgate other"),
]
JDK = ("java.", "jdk.", "sun.", "javax.", "com.sun.")


def category(frames):
    for frame in frames:
        cls = frame["method"]["type"]["name"].replace("/", ".")
        for prefix, cat in RULES:
            if cls.startswith(prefix):
                return cat
        if cls.startswith(JDK):
            continue
        return "other library: " + ".".join(cls.split(".")[:3])
    return "JDK only (no library frame)"


def leaf(frames):
    if not frames:
        return "?"
    m = frames[0]["method"]
    return m["type"]["name"].replace("/", ".") + "." + m["name"]


def thread_group(name):
    if name.startswith("vert.x-eventloo"):
        return "event loops"
    if name.startswith(("executor-thread", "vert.x-worker")):
        return "worker threads"
    if name.startswith(("GC Thread", "G1 ", "VM Thread", "VM Periodic")):
        return "GC and VM"
    if name.startswith(("C1 Compiler", "C2 Compiler")):
        return "JIT compiler"
    if name.startswith("JFR"):
        return "JFR itself"
    return "other threads"


def read_threads(path):
    out = collections.Counter()
    with open(path) as f:
        for line in f:
            ticks, _, name = line.rstrip("\n").partition("\t")
            if ticks.isdigit():
                out[thread_group(name)] += int(ticks)
    return out


def epoch_nanos(text):
    # "2026-11-30T07:03:22.265458797Z", with up to nine fraction digits or none
    whole, _, fraction = text.rstrip("Z").partition(".")
    seconds = datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc)
    return int(seconds.timestamp()) * 1_000_000_000 + int((fraction + "000000000")[:9])


def in_window(start, since, until):
    if not start:
        return not since and not until
    t = epoch_nanos(start)
    return (not since or t >= epoch_nanos(since)) and (not until or t <= epoch_nanos(until))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", required=True)
    p.add_argument("--threads-before", required=True)
    p.add_argument("--threads-after", required=True)
    p.add_argument("--requests", type=int, required=True)
    p.add_argument("--hz", type=int, default=100)
    p.add_argument("--jvm-us", type=float, default=0)
    p.add_argument("--pg-us", type=float, default=0)
    p.add_argument("--title", default="")
    p.add_argument("--since", default="", help="first sample time kept (ISO-8601 UTC)")
    p.add_argument("--until", default="", help="last sample time kept (ISO-8601 UTC)")
    a = p.parse_args()
    events = [
        e
        for e in json.load(open(a.samples))["recording"]["events"]
        if in_window(e["values"].get("startTime", ""), a.since, a.until)
    ]
    cats, leaves = collections.Counter(), collections.Counter()
    for e in events:
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        cats[category(frames)] += 1
        leaves[leaf(frames)] += 1
    total = sum(cats.values()) or 1
    before, after = read_threads(a.threads_before), read_threads(a.threads_after)
    groups = {g: max(0, after[g] - before[g]) for g in after}
    per_req = lambda ticks: ticks * 1e6 / a.hz / a.requests if a.requests else 0.0
    sampled = sum(t for g, t in groups.items() if g not in ("GC and VM", "JIT compiler", "JFR itself"))
    sampled_us = per_req(sampled)
    print(f"## {a.title}: {a.requests} requests, JVM {a.jvm_us} µs + PostgreSQL {a.pg_us} µs CPU per request")
    print()
    print("| JVM threads | µs CPU per request |")
    print("|---|---|")
    for g, t in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"| {g} | {per_req(t):.1f} |")
    print()
    print(f"| category (top-most known frame of {total} Java samples) | share | µs per request |")
    print("|---|---|---|")
    for c, n in cats.most_common():
        print(f"| {c} | {100 * n / total:.1f} % | {sampled_us * n / total:.1f} |")
    print()
    print("| hottest leaf methods | share |")
    print("|---|---|")
    for m, n in leaves.most_common(15):
        print(f"| `{m}` | {100 * n / total:.1f} % |")
    print()


if __name__ == "__main__":
    main()
