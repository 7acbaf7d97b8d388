#!/usr/bin/env python3
"""The table of docs/reliability.md from the JSON files of `ovation chaos` (bench/cluster/chaos.sh).
Usage: report.py OUT_DIR  (prints Markdown)."""
import glob
import json
import os
import sys

ORDER = ["broker-kill", "controller-kill", "broker-partition", "counter-pause", "redis-master-kill", "redis-master-kill-at-end",
         "redis-master-partition", "ingest-kill", "counters-restart", "counters-scale", "mongo-kill", "random"]


def seconds(ms):
    return "-" if ms is None or ms < 0 else f"{ms / 1000:.1f} s"


def row(run, label):
    v, a = run["verdict"], run["availability"]
    exact = (v.get("logError") is None and v["lost"] == 0 and v["doubled"] == 0 and v["invented"] == 0 and v["bandsAgree"] and v["recountAgrees"]
             and v["recountTotal"] == v["tallyTotal"] and v["logEntries"] == v["idsCounted"] + v["idsRejected"])
    f0, f1 = run["faultAtMillis"], run["healedAtMillis"]
    during = [s["freshness"] for s in a["freshness"] if f0 <= s["acknowledgedAt"] < f1]
    worst = max(during) if during else None
    if during and min(during) < 0:
        worst = -1
    after = a["loadAfterHeal"]
    return (f"| {label} | {v['votes']:,} | {v['acknowledged']:,} | {v['unknown']:,} | {v['lost']} | {v['doubled']} |"
            f" {v['invented']} | {'yes' if exact else '**no**'} | {100 * a['answeredDuringFault']:.1f}% |"
            f" {seconds(a['longestGapMillis'])} | {'over 60 s' if worst == -1 else seconds(worst)} |"
            f" {seconds(a['p99BackAfterMillis']) if after else 'no load after'} |"
            f" {seconds(a['freshnessBackAfterMillis']) if after else 'no load after'} | {seconds(run['settleMillis'])} |")


def main(folder):
    # a fault run more than once has a file per run: broker-kill.json, broker-kill-2.json, ...
    runs = {}
    for path in glob.glob(os.path.join(folder, "*.json")):
        run = json.load(open(path))
        stem = os.path.basename(path)[:-len(".json")]
        nth = int(stem[len(run["fault"]) + 1:]) if stem != run["fault"] else 1
        runs[(run["fault"], nth)] = run
    print("| fault | votes | acknowledged | unknown at the end | lost | doubled | invented | tallies = recount = log |"
          " attempts answered during the fault | longest gap without an acknowledgement | worst freshness during the fault |"
          " ack p99 back after the heal | freshness < 1 s after the heal | all counted after the load |")
    print("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|")
    repeated = {fault for fault, nth in runs if nth > 1}
    for fault, nth in sorted(runs, key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99, k[1])):
        print(row(runs[(fault, nth)], f"{fault} ({nth})" if fault in repeated else fault))


if __name__ == "__main__":
    main(sys.argv[1])
