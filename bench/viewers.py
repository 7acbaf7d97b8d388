#!/usr/bin/env python3
"""Open live pages' streams (server-sent events) against a running Ovation and measure them.

    viewers.py --results http://127.0.0.1:8088 --ingest http://127.0.0.1:8080 \
        --contest default --viewers 100 --marks-contest marks --mark-viewers 10 \
        --seconds 40 --report out.json

Opens VIEWERS streams of CONTEST (the cost side: what many open pages ask of the server) and
MARK_VIEWERS streams of MARKS_CONTEST, into which it sends a marker vote over HTTP five times a
second: the time from the marker's 202 to its appearance in each marker viewer's stream is the
freshness a person watching sees. Every stream is read to the end and parsed; it reports events
and bytes received per viewer, and the freshness percentiles. Streams use HTTP/1.0, so the server
streams without chunked framing; only the standard library is used.
"""
import argparse
import json
import selectors
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid


class Stream:
    def __init__(self, host, port, path, on_update):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.sock.setblocking(False)
        self.buffer = b""
        self.head_done = False
        self.on_update = on_update
        self.events = 0
        self.bytes = 0
        self.open = True

    def read(self):
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        if not data:
            self.open = False
            return
        self.bytes += len(data)
        self.buffer += data
        if not self.head_done:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = self.buffer.split(b"\r\n", 1)[0]
            if b" 200 " not in status + b" ":
                raise SystemExit(f"stream refused: {status.decode(errors='replace')}")
            self.buffer = self.buffer[end + 4:]
            self.head_done = True
        while b"\n\n" in self.buffer:
            event, self.buffer = self.buffer.split(b"\n\n", 1)
            for line in event.split(b"\n"):
                if line.startswith(b"data: "):
                    self.events += 1
                    self.on_update(json.loads(line[6:]))


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", required=True)
    ap.add_argument("--ingest", required=True)
    ap.add_argument("--contest", default="default")
    ap.add_argument("--viewers", type=int, default=100)
    ap.add_argument("--marks-contest", default="marks")
    ap.add_argument("--mark-viewers", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--report", required=True)
    args = ap.parse_args()
    url = urllib.parse.urlparse(args.results)
    sent = {}  # marker id -> time its 202 came back
    seen = []  # (marker id, delay in ms)
    lock = threading.Lock()

    def on_mark(update):
        now = time.monotonic()
        for entry in update.get("entries", []):
            with lock:
                at = sent.get(entry["id"])
            if at is not None:
                seen.append((entry["id"], (now - at) * 1000))

    selector = selectors.DefaultSelector()
    streams = []
    for i in range(args.viewers + args.mark_viewers):
        marks = i >= args.viewers
        contest = args.marks_contest if marks else args.contest
        s = Stream(url.hostname, url.port, f"/api/contests/{contest}/stream", on_mark if marks else (lambda u: None))
        streams.append((s, marks))
        selector.register(s.sock, selectors.EVENT_READ, s)

    stop = time.monotonic() + args.seconds

    def send_marks():
        time.sleep(2)  # let every stream start from its whole first update
        while time.monotonic() < stop - 2:
            vote_id = "mark-" + uuid.uuid4().hex
            body = json.dumps({"id": vote_id, "contest": args.marks_contest, "band": "Mark", "album": "Mark"}).encode()
            request = urllib.request.Request(args.ingest + "/api/votes", body, {"content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                if answer.status == 202:
                    with lock:
                        sent[vote_id] = time.monotonic()
            time.sleep(0.2)

    marker = threading.Thread(target=send_marks, daemon=True)
    marker.start()
    cpu0 = time.process_time()
    while time.monotonic() < stop:
        for key, _ in selector.select(timeout=0.5):
            key.data.read()
    cpu = time.process_time() - cpu0
    marker.join(timeout=10)
    delays = [d for _, d in seen]
    viewers = [s for s, marks in streams if not marks]
    report = {
        "viewers": args.viewers, "mark_viewers": args.mark_viewers, "seconds": args.seconds,
        "open_at_end": sum(1 for s, _ in streams if s.open),
        "events_per_viewer_per_second": round(sum(s.events for s in viewers) / max(1, len(viewers)) / args.seconds, 2),
        "bytes_per_viewer_per_second": round(sum(s.bytes for s in viewers) / max(1, len(viewers)) / args.seconds),
        "marks_sent": len(sent), "marks_seen": len(seen),
        "marks_expected": len(sent) * args.mark_viewers,
        "freshness_ms": {"p50": percentile(delays, 50), "p90": percentile(delays, 90),
                         "p99": percentile(delays, 99), "max": max(delays) if delays else None},
        "client_cpu_s": round(cpu, 2),
    }
    for key in ("p50", "p90", "p99", "max"):
        if report["freshness_ms"][key] is not None:
            report["freshness_ms"][key] = round(report["freshness_ms"][key], 1)
    json.dump(report, open(args.report, "w"), indent=2)
    print(json.dumps(report), file=sys.stderr)


if __name__ == "__main__":
    main()
