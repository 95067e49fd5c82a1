#!/usr/bin/env python3
"""Misbehaving clients for the client-chaos scenario (Python 3 standard library only).

Beside well-behaved clients (a Gatling simulation on the same project), each thread of this
script sends keyed native starts over raw sockets and misbehaves in one of two ways:
  abandon  sends the whole request, waits at most --abandon-ms for the answer, then resets the
           connection (a client timeout shorter than the commit: the start is admitted, its client
           is gone before the answer)
  reset    sends the headers and half of the body, then resets the connection (mid-request)
Every attempt is written to a record in the format of FlowgateSimulation (a meta line, a "sent"
line, an answer line: the real answer when it came in time, else TIMEOUT or NO_ANSWER), so the
no-drop audit checks these keys as well: an abandoned key may or may not have its instance, never
two, and a key answered 2xx must have exactly that one.

usage: chaos_clients.py --url http://127.0.0.1:18080 --token bench-admin --project P --workflow W
       --record FILE [--duration 30] [--threads 16] [--abandon-ms 50] [--reset-share 0.3]
Only loopback URLs are accepted; the run stops by itself after --duration seconds.
"""
import argparse
import json
import random
import re
import socket
import struct
import threading
import time
import urllib.parse

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", default="bench-admin")
    ap.add_argument("--project", type=int, required=True)
    ap.add_argument("--workflow", type=int, required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--abandon-ms", type=int, default=50)
    ap.add_argument("--reset-share", type=float, default=0.3)
    a = ap.parse_args()
    url = urllib.parse.urlparse(a.url)
    if url.hostname not in LOOPBACK:
        raise SystemExit("loopback only: " + a.url)
    run = "chaos%d" % int(time.time() * 1000)
    lock = threading.Lock()
    counts = {"abandon": 0, "reset": 0, "answered": 0}
    with open(a.record, "w", encoding="utf-8") as record:
        record.write(json.dumps({"meta": True, "simulation": "ClientChaos", "runId": run,
                                 "project": a.project, "workflow": a.workflow,
                                 "target": "start"}) + "\n")
        end = time.time() + a.duration
        seq = iter(range(10**9))

        def write(obj):
            with lock:
                record.write(json.dumps(obj) + "\n")

        def worker(n):
            rnd = random.Random(n)
            while time.time() < end:
                with lock:
                    key = "%s-%d" % (run, next(seq))
                kind = "reset" if rnd.random() < a.reset_share else "abandon"
                t0 = int(time.time() * 1000)
                write({"t": t0, "key": key, "a": 1, "sent": True, "ep": "start"})
                st, code, iid = attempt(url, a, key, kind)
                write({"t": t0, "key": key, "a": 1, "st": st, "code": code, "id": iid,
                       "rt": int(time.time() * 1000) - t0, "ra": "", "ep": "start"})
                with lock:
                    counts[kind] += 1
                    counts["answered"] += 1 if st else 0

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(a.duration + 30)
    print("chaos clients: %(abandon)d abandoned, %(reset)d reset mid-request, "
          "%(answered)d answered before the client gave up" % counts)


def attempt(url, a, key, kind):
    body = b"{}"
    path = "/api/v1/projects/%d/workflows/%d/instances" % (a.project, a.workflow)
    head = ("POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nIdempotency-Key: %s\r\nContent-Length: %d\r\n\r\n"
            % (path, url.netloc, a.token, key, len(body))).encode()
    s = socket.create_connection((url.hostname, url.port or 80), timeout=5)
    try:
        if kind == "reset":
            s.sendall(head + body[: len(body) // 2])
            time.sleep(0.005)
            return 0, "NO_ANSWER", ""
        s.sendall(head + body)
        s.settimeout(a.abandon_ms / 1000.0)
        try:
            data = s.recv(65536)
        except socket.timeout:
            return 0, "TIMEOUT", ""
        return parse(data)
    except OSError:
        return 0, "NO_ANSWER", ""
    finally:
        # SO_LINGER 0: close with a reset, as a killed client or a client-side timeout does
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()


def parse(data):
    text = data.decode("utf-8", "replace")
    m = re.match(r"HTTP/1\.1 (\d+)", text)
    if not m:
        return 0, "NO_ANSWER", ""
    st = int(m.group(1))
    code = re.search(r'"code"\s*:\s*"([A-Z_]+)"', text)
    iid = re.search(r'"instanceId"\s*:\s*(\d+)', text)
    if st < 300 and not iid:
        # the head came in time, the body did not: the answer is unknown to this client
        return 0, "TIMEOUT", ""
    return st, (code.group(1) if code and st >= 400 else ""), (iid.group(1) if iid else "")


if __name__ == "__main__":
    main()
