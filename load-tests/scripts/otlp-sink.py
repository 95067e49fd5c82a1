#!/usr/bin/env python3
"""A minimal OTLP/HTTP receiver on loopback for the CPU-cost benchmark.

It accepts POST /v1/traces (and /v1/metrics, /v1/logs), reads the whole protobuf body, answers
200 with an empty ExportTraceServiceResponse, and counts requests and bytes, which it writes to
the file named by --stats when it stops (SIGTERM) or every second. It decodes nothing: it stands
in for a collector so that the service really serialises and sends its spans.
"""
import argparse
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATS = {"requests": 0, "bytes": 0}
LOCK = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with LOCK:
            STATS["requests"] += 1
            STATS["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=4318)
    parser.add_argument("--stats", required=True)
    parser.add_argument("--max-seconds", type=int, default=1800)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Sink)
    deadline = time.time() + args.max_seconds

    def write_stats():
        with LOCK:
            snapshot = dict(STATS)
        with open(args.stats, "w") as f:
            json.dump(snapshot, f)

    def stop(*_):
        write_stats()
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)

    def ticker():
        while time.time() < deadline:
            write_stats()
            time.sleep(1)
        stop()

    threading.Thread(target=ticker, daemon=True).start()
    server.serve_forever()
    write_stats()


if __name__ == "__main__":
    sys.exit(main())
