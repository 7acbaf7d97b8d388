#!/usr/bin/env python3
"""The table of docs/reliability.md from the JSON files of `ovation chaos` (bench/cluster/chaos.sh).
Usage: report.py OUT_DIR  (prints Markdown)."""
import glob
import json
import os
import sys

ORDER = ["broker-kill", "broker-partition", "counter-pause", "redis-master-kill", "redis-master-kill-at-end",
         "redis-master-partition", "ingest-kill", "counters-restart", "counters-scale", "mongo-kill", "random"]


def seconds(ms):
    return "-" if ms is None or ms < 0 else f"{ms / 1000:.1f} s"


def row(run):
    v, a = run["verdict"], run["availability"]
    exact = (v.get("logError") is None and v["lost"] == 0 and v["doubled"] == 0 and v["invented"] == 0 and v["bandsAgree"] and v["recountAgrees"]
             and v["recountTotal"] == v["tallyTotal"] and v["logEntries"] == v["idsCounted"] + v["idsRejected"])
    f0, f1 = run["faultAtMillis"], run["healedAtMillis"]
    during = [s["freshness"] for s in a["freshness"] if f0 <= s["acknowledgedAt"] < f1]
    worst = max(during) if during else None
    if during and min(during) < 0:
        worst = -1
    after = a["loadAfterHeal"]
    return (f"| {run['fault']} | {v['votes']:,} | {v['acknowledged']:,} | {v['unknown']:,} | {v['lost']} | {v['doubled']} |"
            f" {v['invented']} | {'yes' if exact else '**no**'} | {100 * a['answeredDuringFault']:.1f}% |"
            f" {seconds(a['longestGapMillis'])} | {'over 60 s' if worst == -1 else seconds(worst)} |"
            f" {seconds(a['p99BackAfterMillis']) if after else 'no load after'} |"
            f" {seconds(a['freshnessBackAfterMillis']) if after else 'no load after'} | {seconds(run['settleMillis'])} |")


def main(folder):
    runs = {}
    for path in glob.glob(os.path.join(folder, "*.json")):
        run = json.load(open(path))
        runs[run["fault"]] = run
    print("| fault | votes | acknowledged | unknown at the end | lost | doubled | invented | tallies = recount = log |"
          " attempts answered during the fault | longest gap without an acknowledgement | worst freshness during the fault |"
          " ack p99 back after the heal | freshness < 1 s after the heal | all counted after the load |")
    print("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|")
    for name in sorted(runs, key=lambda n: ORDER.index(n) if n in ORDER else 99):
        print(row(runs[name]))


if __name__ == "__main__":
    main(sys.argv[1])
