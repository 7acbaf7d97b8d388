#!/usr/bin/env bash
# A flood from one address against one standalone, and what it does to another client.
#   1. starts ./ovation standalone (scratch data dir, its own ports) with loopback NOT exempt from
#      the per-address rate limit and 127.0.0.1 trusted as a proxy, so that X-Forwarded-For names
#      the flooding address;
#   2. baseline: the load generator votes as one ordinary client (127.0.0.1) at CLIENT_RATE votes/s
#      for DURATION seconds, and reports its p50/p99 and that every vote was counted;
#   3. flood: the same client again, while wrk floods POST /api/votes as one other address
#      (X-Forwarded-For: 203.0.113.66) with FLOOD_CONNECTIONS connections, as fast as it can;
#   4. writes bench/results/flood-<date>-<host>.json and .md: the client's latency with and without
#      the flood, its votes all counted, the flood's answers (202 vs 429) and what got through.
# Usage: bench/flood.sh   (about 2 minutes; needs wrk and python3)
# Knobs: CLIENT_RATE (50), DURATION (30), FLOOD_CONNECTIONS (32), RESULTS_DIR (bench/results),
#        PORT_BASE (22000: ports PORT_BASE..PORT_BASE+6).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
CLIENT_RATE=${CLIENT_RATE:-50}
DURATION=${DURATION:-30}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-32}
RESULTS_DIR=${RESULTS_DIR:-bench/results}
PORT_BASE=${PORT_BASE:-22000}
HTTP_PORT=$PORT_BASE GRPC_PORT=$((PORT_BASE + 1)) RESULTS_PORT=$((PORT_BASE + 2)) COUNTER_PORT=$((PORT_BASE + 3))
KAFKA_PORT=$((PORT_BASE + 4)) REDIS_PORT=$((PORT_BASE + 5)) MONGO_PORT=$((PORT_BASE + 6))
started=$(date +%s)
say() { printf '[flood %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
command -v wrk >/dev/null || { say "needs wrk (Debian: apt-get install wrk)"; exit 2; }

./ovation --version >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/ovation-flood.XXXXXX")
cp ovation-launcher/target/ovation.jar "$work/ovation.jar"
pid=""
cleanup() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
# the flood votes in a contest of its own, so that the client's verification (contest default) is exact
printf 'contests:\n  - id: flood\n' >"$work/contests.yaml"
say "starting standalone (work dir $work)..."
OVATION_RATE_LIMIT_EXEMPT=192.0.2.254 OVATION_TRUSTED_PROXIES=127.0.0.1 \
  java -XX:+UseG1GC -Xmx1g -jar "$work/ovation.jar" standalone --contests "$work/contests.yaml" \
  --data-dir "$work/data" --http-port "$HTTP_PORT" \
  --grpc-port "$GRPC_PORT" --results-port "$RESULTS_PORT" --counter-port "$COUNTER_PORT" --kafka-port "$KAFKA_PORT" \
  --redis-port "$REDIS_PORT" --mongo-port "$MONGO_PORT" >"$work/standalone.out" 2>"$work/standalone.log" &
pid=$!
for _ in $(seq 1 180); do
  grep -q "Ovation is running" "$work/standalone.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { say "standalone exited; see $work/standalone.log"; exit 1; }
  sleep 1
done

client() {  # $1: label
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -jar "$work/ovation.jar" loadgen --quiet \
    --ingest-url "http://127.0.0.1:$HTTP_PORT" --results-url "http://127.0.0.1:$RESULTS_PORT" \
    -p http --rate "$CLIENT_RATE" --warmup 0s --duration "${DURATION}s" --report "$work/$1.json" \
    >"$work/$1.txt" 2>&1 || say "the $1 run did not pass (see $work/$1.txt)"
}

say "baseline: one client at $CLIENT_RATE votes/s for ${DURATION} s, no flood..."
client baseline

cat >"$work/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Forwarded-For"] = "203.0.113.66"
wrk.body = '{"contest":"flood","band":"Flood","album":"Flood"}'
local codes = {}
response = function(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
done = function(summary, latency, requests)
  io.write(string.format("FLOOD %d %.1f\n", summary.requests, summary.duration / 1e6))
end
LUA
say "flood: $FLOOD_CONNECTIONS connections as 203.0.113.66, and the same client meanwhile..."
wrk -t2 -c"$FLOOD_CONNECTIONS" -d"$((DURATION + 4))s" -s "$work/flood.lua" "http://127.0.0.1:$HTTP_PORT/api/votes" \
  >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 2
client flooded
wait "$wrk_pid" || true

sleep 3
flood_counted=$(curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/flood/results" | python3 -c '
import json,sys
print(json.load(sys.stdin)["total"])')
refused=$(curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk '/^ovation_votes_refused_total\{protocol="http",reason="rate_limited"\}/{print $2}')
day=$(date -u +%Y-%m-%d); host=$(uname -n)
mkdir -p "$RESULTS_DIR"
out="$(cd "$RESULTS_DIR" && pwd)/flood-$day-$host"
python3 - "$work" "$out" "$flood_counted" "${refused:-0}" "$CLIENT_RATE" "$DURATION" "$FLOOD_CONNECTIONS" <<'PY'
import json, re, sys
work, out, flood_counted, refused, rate, duration, conns = sys.argv[1:]
def run(name):
    r = json.load(open(f"{work}/{name}.json"))
    lat, counts, ver = r["latency"], r["counts"], r.get("verification", {})
    return {"p50_ms": lat.get("p50Ms", lat.get("p50")), "p99_ms": lat.get("p99Ms", lat.get("p99")),
            "max_ms": lat.get("maxMs", lat.get("max")), "acknowledged": counts.get("acknowledged"),
            "failed": counts.get("failed", 0), "verified": ver.get("passed"), "counted": ver.get("counted")}
wrk = open(f"{work}/wrk.txt").read()
m = re.search(r"FLOOD (\d+) ([\d.]+)", wrk)
flood_requests, flood_seconds = (int(m.group(1)), float(m.group(2))) if m else (0, 0.0)
result = {"command": "bench/flood.sh", "client_rate": int(rate), "duration_s": int(duration),
          "flood_connections": int(conns), "baseline": run("baseline"), "flooded": run("flooded"),
          "flood": {"requests": flood_requests, "per_second": round(flood_requests / flood_seconds) if flood_seconds else 0,
                    "refused_429": int(float(refused)), "counted": int(flood_counted)}}
json.dump(result, open(out + ".json", "w"), indent=2)
b, f, fl = result["baseline"], result["flooded"], result["flood"]
md = f"""# A flood from one address: `bench/flood.sh`

One client votes over HTTP at {rate} votes/s for {duration} s, alone and then while `wrk` floods
`POST /api/votes` from another address ({conns} connections, as fast as it can).

| | client p50 ms | client p99 ms | client max ms | client votes acknowledged | all counted |
|---|---:|---:|---:|---:|---|
| alone | {b['p50_ms']} | {b['p99_ms']} | {b['max_ms']} | {b['acknowledged']} | {b['verified']} |
| under the flood | {f['p50_ms']} | {f['p99_ms']} | {f['max_ms']} | {f['acknowledged']} | {f['verified']} |

The flood sent {fl['requests']} requests ({fl['per_second']}/s); {fl['refused_429']} were answered 429
(`rate_limited`) and {fl['counted']} votes of it were counted (its burst, then its refill).
"""
open(out + ".md", "w").write(md)
print(md)
PY
say "wrote $out.json and $out.md"
