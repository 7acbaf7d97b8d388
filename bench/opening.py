#!/usr/bin/env python3
"""The sampler and the report of bench/opening.sh.

  opening.py sample PID INGEST_URL RESULTS_URL CONTEST OUT_CSV DONE_FILE [--settle-seconds N]
      Every 250 ms until DONE_FILE exists and every vote the ingest acknowledged is counted (or
      --settle-seconds have passed since DONE_FILE appeared): writes one CSV row of
      wall time, votes acknowledged (the ingest's ovation_votes_accepted_total), votes counted (the
      results API's total of CONTEST, and its duplicates absorbed: a resend is acknowledged again), the process's CPU seconds, the machine's busy CPU seconds and
      the JIT's compilation milliseconds (jvm_compilation_time_ms_total).

  opening.py report CASE_DIR TITLE
      Reads CASE_DIR/samples.csv, CASE_DIR/ready (the wall time /health/ready first answered 200),
      CASE_DIR/load-start and CASE_DIR/load-end, and the per-request logs of h2load
      (CASE_DIR/*.h2load.log, one per phase: cold, warm); prints a table per second from ready,
      writes CASE_DIR/summary.json and CASE_DIR/chart.svg.

Needs only Python 3's standard library.
"""
import json
import math
import os
import sys
import time
import urllib.request
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def metric_sum(text, name):
    total, found = 0.0, False
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in "{ "):
            total += float(line.rsplit(" ", 1)[1])
            found = True
    return total if found else float("nan")


def get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read().decode()


def process_cpu(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_busy():
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / TICKS


def sample(pid, ingest, results, contest, out, done, settle):
    done = Path(done)
    done_at = None
    with open(out, "w") as csv:
        csv.write("wall,acked,counted,cpu,machine,jit_ms\n")
        while True:
            started = time.time()
            try:
                metrics = get(ingest + "/metrics")
                acked = metric_sum(metrics, "ovation_votes_accepted_total")
                jit = metric_sum(metrics, "jvm_compilation_time_ms_total")
            except OSError:
                acked, jit = float("nan"), float("nan")
            try:
                answer = json.loads(get(f"{results}/api/contests/{contest}/results"))
                # a resent vote is acknowledged again and absorbed as a duplicate: decided either way
                counted = answer["total"] + answer["duplicates"]
            except (OSError, ValueError, KeyError):
                counted = float("nan")
            try:
                cpu = process_cpu(pid)
            except OSError:
                break
            csv.write(f"{started:.3f},{acked:.0f},{counted},{cpu:.2f},{machine_busy():.2f},{jit:.0f}\n")
            csv.flush()
            if done_at is None and done.exists():
                done_at = time.time()
            if done_at is not None and (counted >= acked or time.time() - done_at > settle):
                break
            time.sleep(max(0.0, 0.25 - (time.time() - started)))


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(math.ceil(len(values) * p / 100)) - 1)]


def h2load_seconds(path, origin):
    """Per whole second from origin: (requests answered 2xx, p50 ms, p99 ms, errors)."""
    by_second = {}
    for line in open(path):
        parts = line.split()
        if len(parts) < 3:
            continue
        start_s = int(parts[0]) / 1e6
        latency_ms = int(parts[2]) / 1000
        done_s = start_s + latency_ms / 1000
        second = int(done_s - origin)
        ok, lat, errors = by_second.setdefault(second, [0, [], 0])
        if parts[1].startswith("2"):
            by_second[second][0] += 1
            lat.append(latency_ms)
        else:
            by_second[second][2] += 1
    return {s: (v[0], percentile(v[1], 50), percentile(v[1], 99), v[2]) for s, v in sorted(by_second.items())}


def svg_chart(path, title, series, x_label, left_label, right_label=None, right_series=()):
    width, height, left, right, top, bottom = 900, 420, 80, 80, 40, 50
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    xs = [x for _, pts, _ in list(series) + list(right_series) for x, _ in pts]
    if not xs:
        return
    x0, x1 = min(xs), max(xs) or 1
    y1 = max([y for _, pts, _ in series for _, y in pts] + [1]) * 1.1
    r1 = max([y for _, pts, _ in right_series for _, y in pts] + [1]) * 1.1
    sx = lambda x: left + (x - x0) / ((x1 - x0) or 1) * (width - left - right)
    sy = lambda y, top_value: height - bottom - y / top_value * (height - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
           f'<text x="{width / 2}" y="{height - 10}" text-anchor="middle">{x_label}</text>',
           f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">{left_label}</text>']
    for i in range(6):
        y = y1 * i / 5
        out.append(f'<text x="{left - 5}" y="{sy(y, y1) + 4}" text-anchor="end">{y:,.0f}</text>')
        out.append(f'<line x1="{left}" y1="{sy(y, y1)}" x2="{width - right}" y2="{sy(y, y1)}" stroke="#eee"/>')
        if right_series:
            r = r1 * i / 5
            out.append(f'<text x="{width - right + 5}" y="{sy(r, r1) + 4}">{r:,.0f}</text>')
    step = max(1, int((x1 - x0) / 10))
    x = math.ceil(x0)
    while x <= x1:
        out.append(f'<text x="{sx(x)}" y="{height - bottom + 15}" text-anchor="middle">{x:g}</text>')
        x += step
    if right_series:
        out.append(f'<text x="{width - 15}" y="{height / 2}" transform="rotate(90 {width - 15} {height / 2})" '
                   f'text-anchor="middle">{right_label}</text>')
    legend_y = top + 5
    for index, (name, pts, dashed) in enumerate(list(series) + list(right_series)):
        on_right = index >= len(series)
        color = colors[index % len(colors)]
        line = " ".join(f"{sx(x):.1f},{sy(y, r1 if on_right else y1):.1f}" for x, y in pts)
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{left + 10}" y="{legend_y + 15 * index}" fill="{color}">{name}</text>')
    out.append("</svg>")
    Path(path).write_text("\n".join(out))


def report(case_dir, title):
    case = Path(case_dir)
    ready = float((case / "ready").read_text())
    load_start = float((case / "load-start").read_text())
    load_end = float((case / "load-end").read_text())
    rows = []
    for line in list(open(case / "samples.csv"))[1:]:
        wall, acked, counted, cpu, machine, jit = (float(x) for x in line.strip().split(","))
        rows.append((wall - ready, acked, counted, cpu, machine, jit))
    # per second from ready: acknowledged and counted votes (differences of the samples), CPU, JIT
    seconds = {}
    for t, acked, counted, cpu, machine, jit in rows:
        seconds.setdefault(int(math.floor(t)), (acked, counted, cpu, machine, jit))
    keys = sorted(seconds)
    per_second = []
    for a, b in zip(keys, keys[1:]):
        va, vb = seconds[a], seconds[b]
        per_second.append({"second": a, "acked": vb[0] - va[0], "counted": vb[1] - va[1],
                           "cpu": round(vb[2] - va[2], 2), "machine": round(vb[3] - va[3], 2),
                           "jit_ms": vb[4] - va[4], "lag": vb[0] - vb[1]})
    phases = {}
    for log in sorted(case.glob("*.h2load.log")):
        phase = log.name.split(".")[0]
        per = h2load_seconds(log, load_start if phase == "cold" else float((case / f"{phase}-start").read_text()))
        ok = sum(v[0] for v in per.values())
        latencies = []
        for line in open(log):
            parts = line.split()
            if len(parts) >= 3 and parts[1].startswith("2"):
                latencies.append(int(parts[2]) / 1000)
        span = max(per) + 1 if per else 1
        phases[phase] = {"requests_ok": ok, "errors": sum(v[3] for v in per.values()),
                         "requests_per_s": round(ok / span),
                         "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2),
                         "per_second": [{"second": s, "ok": v[0], "p50_ms": round(v[1], 2), "p99_ms": round(v[2], 2),
                                         "errors": v[3]} for s, v in per.items()]}
    acked_at_end = next((r[1] for r in rows if r[0] >= load_end - ready), rows[-1][1])
    counted_at_end = next((r[2] for r in rows if r[0] >= load_end - ready), rows[-1][2])
    final_acked = rows[-1][1]
    all_counted = next((r[0] for r in rows if r[0] >= load_end - ready and r[2] >= final_acked), None)
    summary = {"case": title, "ready_after_start_s": float((case / "started").read_text()) if (case / "started").exists() else None,
               "load_started_after_ready_s": round(load_start - ready, 3),
               "load_seconds": round(load_end - load_start, 2),
               "acked": final_acked, "acked_at_load_end": acked_at_end, "counted_at_load_end": counted_at_end,
               "counted_share_at_load_end": round(counted_at_end / acked_at_end, 3) if acked_at_end else None,
               "all_counted_after_load_end_s": round(all_counted - (load_end - ready), 2) if all_counted is not None else None,
               "jit_ms_at_ready": rows[0][5], "jit_ms_at_end": rows[-1][5],
               "most_not_counted_yet": max((s["lag"] for s in per_second if s["lag"] == s["lag"]), default=None),
               "phases": phases, "per_second": per_second}
    (case / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"== {title}")
    for phase, p in phases.items():
        print(f"   {phase:5} {p['requests_per_s']:>9,} requests/s  p50 {p['p50_ms']:7.2f} ms  p99 {p['p99_ms']:8.2f} ms"
              f"  errors {p['errors']}")
        print("         per second: " + " | ".join(f"{s['ok']:,} p99 {s['p99_ms']:.0f}" for s in p["per_second"][:12]))
    print(f"   acknowledged {final_acked:,.0f}; counted at the load's end {counted_at_end:,.0f} of {acked_at_end:,.0f}"
          f" ({(summary['counted_share_at_load_end'] or 0) * 100:.0f}%); all counted "
          + (f"{summary['all_counted_after_load_end_s']} s after the load's end" if all_counted is not None else "NOT within the wait"))
    rows_shown = per_second if len(per_second) <= 40 else per_second[:40]
    print("   s  acked/s  counted/s  cpu  machine  jit_ms  not counted yet")
    for s in rows_shown:
        print(f"  {s['second']:3} {s['acked']:>8,.0f} {s['counted']:>10,.0f} {s['cpu']:5.2f} {s['machine']:6.2f} {s['jit_ms']:7.0f}"
              f"  {s['lag']:>10,.0f}")
    lags = [s["lag"] for s in per_second if s["lag"] == s["lag"]]
    if lags:
        print(f"   most votes acknowledged but not counted yet at a second's end: {max(lags):,.0f}")
    svg_chart(case / "chart.svg", title,
              [("acknowledged votes/s", [(s["second"], s["acked"]) for s in per_second], False),
               ("counted votes/s", [(s["second"], s["counted"]) for s in per_second], False)],
              "seconds after /health/ready", "votes per second", "JIT ms per second; CPU (cores x 1000)",
              [("JIT compilation ms/s", [(s["second"], s["jit_ms"]) for s in per_second], True),
               ("process CPU, millicores", [(s["second"], s["cpu"] * 1000) for s in per_second], True)])


if __name__ == "__main__":
    if len(sys.argv) >= 8 and sys.argv[1] == "sample":
        settle = float(sys.argv[sys.argv.index("--settle-seconds") + 1]) if "--settle-seconds" in sys.argv else 60
        sample(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], settle)
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
