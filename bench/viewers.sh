#!/usr/bin/env bash
# What open live pages cost the pipeline, on one standalone:
#   1. starts ./ovation standalone (scratch data dir, its own ports) with a quiet contest "marks";
#   2. primes the JVMs with one run of the load below, not reported;
#      alone: the load generator votes over HTTP at RATE votes/s for DURATION seconds into contest
#      default; its acknowledgement latency, every vote counted, and the standalone's CPU per vote
#      (from /proc) are recorded;
#   3. watched: the same run while VIEWERS live pages stream contest default and MARK_VIEWERS more
#      stream contest "marks" (bench/viewers.py, one Python process, server-sent events read and
#      parsed), into which a marker vote goes five times a second: the time from its 202 to its
#      line on each page is the freshness a person sees, with the pipeline under load;
#   4. writes bench/results/viewers-<date>-<host>.json, .md (printed too) and .svg.
# Usage: bench/viewers.sh   (about 6 minutes on a quiet machine; needs python3)
# Knobs: RATE (3000), DURATION (40), ROUNDS (2: alone then watched, each round), VIEWERS (100), MARK_VIEWERS (10), RESULTS_DIR (bench/results),
#        PORT_BASE (23000: ports PORT_BASE..PORT_BASE+6), OVATION_JAVA_OPTS (-XX:+UseG1GC -Xmx1g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
RATE=${RATE:-3000}
DURATION=${DURATION:-40}
VIEWERS=${VIEWERS:-100}
MARK_VIEWERS=${MARK_VIEWERS:-10}
ROUNDS=${ROUNDS:-2}
RESULTS_DIR=${RESULTS_DIR:-bench/results}
PORT_BASE=${PORT_BASE:-23000}
OVATION_JAVA_OPTS=${OVATION_JAVA_OPTS:-"-XX:+UseG1GC -Xmx1g"}
HTTP_PORT=$PORT_BASE GRPC_PORT=$((PORT_BASE + 1)) RESULTS_PORT=$((PORT_BASE + 2)) COUNTER_PORT=$((PORT_BASE + 3))
KAFKA_PORT=$((PORT_BASE + 4)) REDIS_PORT=$((PORT_BASE + 5)) MONGO_PORT=$((PORT_BASE + 6))
started=$(date +%s)
say() { printf '[viewers %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

./ovation --version >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/ovation-viewers.XXXXXX")
cp ovation-launcher/target/ovation.jar "$work/ovation.jar"
pid=""
cleanup() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
printf 'contests:\n  - id: marks\n    title: Marker votes\n' >"$work/contests.yaml"
say "starting standalone (work dir $work)..."
# shellcheck disable=SC2086
java $OVATION_JAVA_OPTS -jar "$work/ovation.jar" standalone --contests "$work/contests.yaml" \
  --data-dir "$work/data" --http-port "$HTTP_PORT" \
  --grpc-port "$GRPC_PORT" --results-port "$RESULTS_PORT" --counter-port "$COUNTER_PORT" --kafka-port "$KAFKA_PORT" \
  --redis-port "$REDIS_PORT" --mongo-port "$MONGO_PORT" >"$work/standalone.out" 2>"$work/standalone.log" &
pid=$!
for _ in $(seq 1 180); do
  grep -q "Ovation is running" "$work/standalone.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { say "standalone exited; see $work/standalone.log"; exit 1; }
  sleep 1
done

cpu_ticks() {  # user + system time of the standalone JVM, in clock ticks
  awk '{print $14 + $15}' "/proc/$pid/stat"
}

run() {  # $1: label; the load generator's run, with the standalone's CPU over it
  local before after
  before=$(cpu_ticks)
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -jar "$work/ovation.jar" loadgen --quiet \
    --ingest-url "http://127.0.0.1:$HTTP_PORT" --results-url "http://127.0.0.1:$RESULTS_PORT" \
    -p http --rate "$RATE" --warmup 5s --duration "${DURATION}s" --report "$work/$1.json" \
    >"$work/$1.txt" 2>&1 || say "the $1 run did not pass (see $work/$1.txt)"
  after=$(cpu_ticks)
  echo $((after - before)) >"$work/$1.cpu"
}

say "priming: the same load for ${DURATION} s, not reported, so that both runs meet a warm JVM..."
run prime
for round in $(seq 1 "$ROUNDS"); do
  say "round $round/$ROUNDS, alone: $RATE votes/s over HTTP for ${DURATION} s (after a 5 s warm-up), no page open..."
  run "alone-$round"
  say "round $round/$ROUNDS, watched: the same, with $VIEWERS pages on contest default and $MARK_VIEWERS on contest marks..."
  python3 bench/viewers.py --results "http://127.0.0.1:$RESULTS_PORT" --ingest "http://127.0.0.1:$HTTP_PORT" \
    --contest default --viewers "$VIEWERS" --marks-contest marks --mark-viewers "$MARK_VIEWERS" \
    --seconds "$((DURATION + 12))" --report "$work/streams-$round.json" 2>"$work/streams-$round.txt" &
  viewers_pid=$!
  sleep 3
  run "watched-$round"
  wait "$viewers_pid" || say "the viewers did not finish cleanly (see $work/streams-$round.txt)"
  sleep 5  # the pages' streams close before the next run alone
done
live=$(curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk '/^ovation_live_updates_total/{print $2}')

day=$(date -u +%Y-%m-%d); host=$(uname -n)
mkdir -p "$RESULTS_DIR"
out="$(cd "$RESULTS_DIR" && pwd)/viewers-$day-$host"
python3 - "$work" "$out" "$RATE" "$DURATION" "$VIEWERS" "$MARK_VIEWERS" "${live:-0}" "$(getconf CLK_TCK)" "$ROUNDS" <<'PY'
import json, sys
work, out, rate, duration, viewers, mark_viewers, live_updates, tck, rounds = sys.argv[1:]
tck, rounds = int(tck), int(rounds)
def run(name):
    r = json.load(open(f"{work}/{name}.json"))
    lat, counts, ver = r["latency"], r["counts"], r.get("verification", {})
    cpu_s = int(open(f"{work}/{name}.cpu").read()) / tck
    sent = counts.get("acknowledged") or 0
    return {"p50_ms": lat.get("p50"), "p99_ms": lat.get("p99"), "p999_ms": lat.get("p999"),
            "max_ms": lat.get("max"), "acknowledged": sent, "verified": ver.get("passed"),
            "server_cpu_s": round(cpu_s, 2), "server_cpu_us_per_vote": round(cpu_s * 1e6 / sent, 1) if sent else None}
def mean(runs, key):
    values = [r[key] for r in runs if r[key] is not None]
    return round(sum(values) / len(values), 1) if values else None
alone = [run(f"alone-{i}") for i in range(1, rounds + 1)]
watched = [run(f"watched-{i}") for i in range(1, rounds + 1)]
streams_all = [json.load(open(f"{work}/streams-{i}.json")) for i in range(1, rounds + 1)]
keys = ("p50_ms", "p99_ms", "p999_ms", "max_ms", "server_cpu_s", "server_cpu_us_per_vote")
a = {k: mean(alone, k) for k in keys}
w = {k: mean(watched, k) for k in keys}
for side, runs in ((a, alone), (w, watched)):
    side["acknowledged"] = sum(r["acknowledged"] for r in runs)
    side["verified"] = all(r["verified"] for r in runs)
s = dict(streams_all[-1])
s["events_per_viewer_per_second"] = round(sum(x["events_per_viewer_per_second"] for x in streams_all) / rounds, 2)
s["bytes_per_viewer_per_second"] = round(sum(x["bytes_per_viewer_per_second"] for x in streams_all) / rounds)
s["marks_sent"] = sum(x["marks_sent"] for x in streams_all)
s["marks_seen"] = sum(x["marks_seen"] for x in streams_all)
s["marks_expected"] = sum(x["marks_expected"] for x in streams_all)
s["open_at_end"] = min(x["open_at_end"] for x in streams_all)
s["client_cpu_s"] = round(sum(x["client_cpu_s"] for x in streams_all) / rounds, 2)
s["freshness_ms"] = {k: max(x["freshness_ms"][k] for x in streams_all) if k == "max"
                     else round(sum(x["freshness_ms"][k] for x in streams_all) / rounds, 1)
                     for k in ("p50", "p90", "p99", "max")}
streams = s
result = {"command": "bench/viewers.sh", "rate": int(rate), "duration_s": int(duration), "viewers": int(viewers),
          "mark_viewers": int(mark_viewers), "rounds": rounds, "alone": a, "watched": w,
          "alone_runs": alone, "watched_runs": watched, "streams": streams, "streams_runs": streams_all,
          "live_updates_sent": int(float(live_updates))}
json.dump(result, open(out + ".json", "w"), indent=2)
f = s["freshness_ms"]
rows = "\n".join(f"| round {i + 1}, {name} | {r['p50_ms']} | {r['p99_ms']} | {r['p999_ms']} | {r['max_ms']} | "
                 f"{r['acknowledged']} | {r['verified']} | {r['server_cpu_s']} | {r['server_cpu_us_per_vote']} |"
                 for i in range(rounds) for name, r in (("no page", alone[i]), ("pages open", watched[i])))
md = f"""# What open live pages cost: `bench/viewers.sh`

The load generator votes over HTTP at {rate} votes/s for {duration} s (after a 5 s warm-up) into
contest `default`, with no page open and then while {viewers} live pages stream that contest and
{mark_viewers} more stream a quiet contest that gets a marker vote five times a second, {rounds} rounds
alternating (after one priming run), so that drift between runs shows as such. CPU is the
standalone process's (ingest, counter, results, Kafka, MongoDB-wire server; not redis-server),
from `/proc`, over each whole run, warm-up included.

| | ack p50 ms | ack p99 ms | ack p99.9 ms | max ms | votes acknowledged | all counted | standalone CPU s | CPU µs per vote |
|---|---:|---:|---:|---:|---:|---|---:|---:|
{rows}
| **mean, no page open** | {a['p50_ms']} | {a['p99_ms']} | {a['p999_ms']} | {a['max_ms']} | {a['acknowledged']} | {a['verified']} | {a['server_cpu_s']} | {a['server_cpu_us_per_vote']} |
| **mean, {viewers} + {mark_viewers} pages open** | {w['p50_ms']} | {w['p99_ms']} | {w['p999_ms']} | {w['max_ms']} | {w['acknowledged']} | {w['verified']} | {w['server_cpu_s']} | {w['server_cpu_us_per_vote']} |

Each page of the busy contest received {s['events_per_viewer_per_second']} updates a second
({s['bytes_per_viewer_per_second']} bytes/s); {s['open_at_end']} of {int(viewers) + int(mark_viewers)} streams were still
open at the end. Marker votes: {s['marks_sent']} sent, seen {s['marks_seen']} times of {s['marks_expected']} expected
(each on every marker page); from the 202 to the line on the page: p50 {f['p50']} ms, p90 {f['p90']} ms,
p99 {f['p99']} ms, max {f['max']} ms. The viewers' own process used {s['client_cpu_s']} s of CPU.
"""
open(out + ".md", "w").write(md)
# A chart: latency and CPU per vote, side by side.
bars = [("ack p50 ms", a["p50_ms"], w["p50_ms"]), ("ack p99 ms", a["p99_ms"], w["p99_ms"]),
        ("CPU µs/vote", a["server_cpu_us_per_vote"], w["server_cpu_us_per_vote"]),
        ("freshness p99 ms", None, f["p99"])]
width, height, left, top, group = 760, 300, 40, 40, 170
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="{left}" y="20" font-size="14">Open live pages vs none, {rate} votes/s over HTTP (bench/viewers.sh)</text>']
for i, (label, x, y) in enumerate(bars):
    top_value = max(v for v in (x, y) if v is not None) or 1
    gx = left + i * group
    for j, (value, colour, name) in enumerate(((x, "#9aa5b1", "no page"), (y, "#1f4fd1", f"{int(viewers) + int(mark_viewers)} pages"))):
        if value is None:
            continue
        h = 180 * value / top_value
        bx = gx + j * 60
        svg.append(f'<rect x="{bx}" y="{top + 200 - h}" width="50" height="{h}" fill="{colour}"/>')
        svg.append(f'<text x="{bx + 25}" y="{top + 195 - h}" text-anchor="middle">{value}</text>')
        svg.append(f'<text x="{bx + 25}" y="{top + 215}" text-anchor="middle" font-size="10">{name}</text>')
    svg.append(f'<text x="{gx + 55}" y="{top + 235}" text-anchor="middle">{label}</text>')
svg.append("</svg>")
open(out + ".svg", "w").write("\n".join(svg))
print(md)
PY
say "wrote $out.json, $out.md and $out.svg"
