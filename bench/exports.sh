#!/usr/bin/env bash
# What a flood of CSV exports of the vote log does to single votes, on one standalone:
#   1. starts ./ovation standalone (scratch data dir, its own ports, the admin API on) with 127.0.0.1
#      trusted as a proxy, so that each exporting client below is an address of its own
#      (X-Forwarded-For), as twenty people exporting would be;
#   2. loads VOTES votes into contest default (open) and FINALS_VOTES into contest finals, then closes
#      finals (admin API), with the load generator over http-batch, every vote counted;
#   3. after 10 s of single votes and one export of each contest (so that the JIT has compiled both),
#      single votes under wrk (-t1 -cCONNECTIONS, DURATION s, one vote a POST /api/votes into a
#      third contest, live, so that the logs exported keep their size), ROUNDS rounds of three runs:
#      alone; while EXPORTERS clients export the open contest's log (logs.csv, curl, each again as soon as its export ends, waiting what Retry-After
#      says after a 429); and the same clients exporting the closed contest's log;
#   4. prints both rates (alone, under the flood) and writes bench/results/exports-<date>-<host>.json, .md,
#      with how busy the whole machine was during each run (other work shares the cores).
# Usage: bench/exports.sh   (about 8 minutes on two cores; needs wrk, curl and python3)
# Knobs: VOTES (600000), FINALS_VOTES (300000), DURATION (20), CONNECTIONS (16), EXPORTERS (20),
#        ROUNDS (2), RESULTS_DIR (bench/results), PORT_BASE (24000: ports PORT_BASE..PORT_BASE+6),
#        OVATION_JAVA_OPTS (-XX:+UseG1GC -Xmx1g), OVATION_JAR (default: build ./ovation's), and any
#        OVATION_EXPORT* setting (OVATION_EXPORTS_MAX, OVATION_EXPORT_MB_PER_SECOND...), passed on to the standalone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
VOTES=${VOTES:-600000}
FINALS_VOTES=${FINALS_VOTES:-300000}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16}
EXPORTERS=${EXPORTERS:-20}
ROUNDS=${ROUNDS:-2}
RESULTS_DIR=${RESULTS_DIR:-bench/results}
PORT_BASE=${PORT_BASE:-24000}
OVATION_JAVA_OPTS=${OVATION_JAVA_OPTS:-"-XX:+UseG1GC -Xmx1g"}
HTTP_PORT=$PORT_BASE GRPC_PORT=$((PORT_BASE + 1)) RESULTS_PORT=$((PORT_BASE + 2)) COUNTER_PORT=$((PORT_BASE + 3))
KAFKA_PORT=$((PORT_BASE + 4)) REDIS_PORT=$((PORT_BASE + 5)) MONGO_PORT=$((PORT_BASE + 6))
started=$(date +%s)
say() { printf '[exports %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { say "needs $tool"; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ovation-exports.XXXXXX")
if [ -n "${OVATION_JAR:-}" ]; then
  cp "$OVATION_JAR" "$work/ovation.jar"
else
  ./ovation --version >/dev/null
  cp ovation-launcher/target/ovation.jar "$work/ovation.jar"
fi
pid=""
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
printf 'contests:\n  - id: finals\n    title: Finals, closed before the exports\n  - id: live\n    title: Single votes\n' \
  >"$work/contests.yaml"
say "starting standalone (work dir $work)..."
# shellcheck disable=SC2086
OVATION_ADMIN_TOKEN=$token OVATION_TRUSTED_PROXIES=127.0.0.1 \
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

total() { curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/$1/results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
load() {  # $1: contest, $2: votes; batches of 1,000 from 4 users at a time until the contest holds them
  local n=0
  say "loading $2 votes into contest $1 (http-batch, every one counted)..."
  while [ "$(total "$1")" -lt "$2" ]; do
    n=$((n + 1))
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -jar "$work/ovation.jar" loadgen --quiet \
      --ingest-url "http://127.0.0.1:$HTTP_PORT" --results-url "http://127.0.0.1:$RESULTS_PORT" \
      -p http-batch --batch-size 1000 --users 4 --contest "$1" --generate --voters 200000 --warmup 0s \
      --duration 3s --verify-timeout 600s --report "$work/load-$1-$n.json" \
      >"$work/load-$1-$n.txt" 2>&1 || { say "loading $1 failed (see $work/load-$1-$n.txt)"; exit 1; }
  done
}
load default "$VOTES"
load finals "$FINALS_VOTES"
curl -sf -X POST -H "authorization: Bearer $token" \
  "http://127.0.0.1:$HTTP_PORT/api/admin/contests/finals/close" >/dev/null
say "contest default holds $(total default) votes, finals (closed) $(total finals)"

cat >"$work/vote.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"contest":"live","band":"The Beatles","album":"Abbey Road","year":"1969","rank":"1"}'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %.3f %d %.2f %.2f\n", summary.requests, summary.duration / 1e6,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

# CPU in clock ticks: the standalone JVM and its redis-server; this script, its wrk and curls (once waited
# for); and the whole machine (user, nice, system, irq, softirq), so that what other work took shows
cpu_ticks() {
  local redis
  redis=$(pgrep -P "$pid" redis-server | head -1)
  awk '{t += $14 + $15} END {print t}' "/proc/$pid/stat" ${redis:+"/proc/$redis/stat"}
}
bench_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat"; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

exporter() {  # $1: client number, $2: contest, $3: when to stop (epoch s), $4: log file
  # bash builtins where it can (printf %()T, read): the clients share the two cores with the standalone
  local address="203.0.113.$(( $1 + 10 ))" headers="$work/headers-$1" answer code wait now name value
  printf -v now '%(%s)T' -1
  while [ "$now" -lt "$3" ]; do
    answer=$(curl -s -o /dev/null -D "$headers" -H "X-Forwarded-For: $address" \
      -w '%{http_code} %{time_total} %{size_download}' "http://127.0.0.1:$RESULTS_PORT/api/contests/$2/logs.csv") \
      || answer="000 0 0"
    echo "$answer" >>"$4"
    code=${answer%% *}
    if [ "$code" = 429 ]; then
      wait=1
      while IFS=': ' read -r name value; do
        if [ "${name,,}" = retry-after ]; then wait=${value%$'\r'}; fi
      done <"$headers"
      sleep "$wait"
    elif [ "$code" != 200 ]; then
      sleep 1
    fi
    printf -v now '%(%s)T' -1
  done
}

run() {  # $1: label, $2: contest to export (none: no exports)
  local before after machine_before bench_before until_s wrk_pid i exporters=()
  : >"$work/$1.exports"
  before=$(cpu_ticks)
  machine_before=$(machine_ticks)
  bench_before=$(bench_ticks)
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$work/vote.lua" "http://127.0.0.1:$HTTP_PORT/api/votes" \
    >"$work/$1.wrk" 2>&1 &
  wrk_pid=$!
  if [ "$2" != none ]; then
    until_s=$(( $(date +%s) + DURATION ))
    for i in $(seq 1 "$EXPORTERS"); do
      exporter "$i" "$2" "$until_s" "$work/$1.exports" &
      exporters+=($!)
    done
  fi
  wait "$wrk_pid"
  after=$(cpu_ticks)
  echo $((after - before)) >"$work/$1.cpu"
  echo $(( $(machine_ticks) - machine_before )) >"$work/$1.machine"
  # the exports under way when the votes stopped finish before the next run
  for i in "${exporters[@]}"; do wait "$i" || true; done
  echo $(( $(bench_ticks) - bench_before )) >"$work/$1.bench"
}

busy_before="load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "before the runs: $busy_before"
say "warming up: single votes for 10 s, and one export of each contest, not reported..."
wrk -t1 -c"$CONNECTIONS" -d10s -s "$work/vote.lua" "http://127.0.0.1:$HTTP_PORT/api/votes" >/dev/null 2>&1
for contest in default finals; do
  curl -s -o /dev/null "http://127.0.0.1:$RESULTS_PORT/api/contests/$contest/logs.csv"
done
for round in $(seq 1 "$ROUNDS"); do
  say "round $round/$ROUNDS: single votes alone for ${DURATION} s..."
  run "alone-$round" none
  say "round $round/$ROUNDS: the same while $EXPORTERS clients export the open contest's log..."
  run "open-$round" default
  say "round $round/$ROUNDS: the same while they export the closed contest's log..."
  run "closed-$round" finals
done
metrics=$(curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E '^ovation_(reads_refused|export_cache)' || true)

day=$(date -u +%Y-%m-%d); host=$(uname -n)
mkdir -p "$RESULTS_DIR"
out="$(cd "$RESULTS_DIR" && pwd)/exports-$day-$host"
settings=$(env | grep -E '^OVATION_EXPORT' | sort | tr '\n' ' ' || true)
python3 - "$work" "$out" "$ROUNDS" "$DURATION" "$CONNECTIONS" "$EXPORTERS" "$(getconf CLK_TCK)" \
  "$(total default)" "$(total finals)" "$metrics" "$settings" "$(nproc)" "$busy_before" "${OVATION_JAVA_OPTS}" \
  "$(uname -n), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), Linux $(uname -r), $(java -version 2>&1 | head -1)" \
  "${OVATION_JAR:+OVATION_JAR=$OVATION_JAR }bench/exports.sh" <<'PY'
import json, re, sys
(work, out, rounds, duration, conns, exporters, tck, default_total, finals_total, metrics, settings, cores, busy, jvm,
 machine, command) = sys.argv[1:]
rounds, tck = int(rounds), int(tck)
def run(name):
    m = re.search(r"^WRK (\d+) ([\d.]+) (\d+) ([\d.]+) ([\d.]+)$", open(f"{work}/{name}.wrk").read(), re.M)
    requests, seconds, errors, p50, p99 = int(m.group(1)), float(m.group(2)), int(m.group(3)), float(m.group(4)), float(m.group(5))
    exports = [line.split() for line in open(f"{work}/{name}.exports").read().splitlines() if line.strip()]
    ok = [e for e in exports if e[0] == "200"]
    cpu = int(open(f"{work}/{name}.cpu").read()) / tck
    machine = int(open(f"{work}/{name}.machine").read()) / tck
    bench = int(open(f"{work}/{name}.bench").read()) / tck
    return {"votes_per_s": round((requests - errors) / seconds), "errors": errors, "p50_ms": p50, "p99_ms": p99,
            "standalone_cpu_cores": round(cpu / seconds, 2), "clients_cpu_cores": round(bench / seconds, 2),
            "other_cpu_cores": round(max(0.0, machine - cpu - bench) / seconds, 2),
            "exports_200": len(ok), "exports_429": sum(1 for e in exports if e[0] == "429"),
            "exports_other": sum(1 for e in exports if e[0] not in ("200", "429")),
            "export_s_mean": round(sum(float(e[1]) for e in ok) / len(ok), 2) if ok else None,
            "export_mb": round(float(ok[0][2]) / 1e6, 1) if ok else None}
kinds = {"alone": "no export", "open": f"{exporters} clients exporting the open contest",
         "closed": f"{exporters} clients exporting the closed contest"}
runs = {k: [run(f"{k}-{i}") for i in range(1, rounds + 1)] for k in kinds}
def mean(k, key):
    values = [r[key] for r in runs[k] if r[key] is not None]
    return round(sum(values) / len(values), 2) if values else None
def cell(value):
    return "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
means = {k: {key: mean(k, key) for key in runs[k][0]} for k in kinds}
base = means["alone"]["votes_per_s"]
for k in kinds:
    means[k]["of_alone"] = round(means[k]["votes_per_s"] / base, 3) if base else None
result = {"command": command, "machine": machine, "cores": int(cores), "jvm_options": jvm, "busy_before": busy, "duration_s": int(duration), "connections": int(conns),
          "exporters": int(exporters), "rounds": rounds, "settings": settings.strip(), "votes_default": int(default_total),
          "votes_finals": int(finals_total), "runs": runs, "means": means, "metrics": metrics.splitlines()}
json.dump(result, open(out + ".json", "w"), indent=2)
columns = ("votes_per_s", "p50_ms", "p99_ms", "standalone_cpu_cores", "clients_cpu_cores", "other_cpu_cores",
           "exports_200", "exports_429", "export_s_mean", "export_mb")
rows = "\n".join(f"| round {i + 1}, {kinds[k]} | " + " | ".join(cell(runs[k][i][c]) for c in columns) + " |"
                 for i in range(rounds) for k in kinds)
mrows = "\n".join(f"| **mean, {kinds[k]}** | {m['votes_per_s']:.0f} ({m['of_alone']:.0%}) | "
                  + " | ".join(cell(m[c]) for c in columns[1:]) + " |" for k in kinds for m in (means[k],))
md = f"""# Exports against votes: `bench/exports.sh`

Command: `{command}`; machine: {machine}.

Single votes under `wrk -t1 -c{conns} -d{duration}s` (one vote a `POST /api/votes`, contest `live`), alone and
while {exporters} clients, each its own address, export a contest's log again and again (`curl`, waiting what
`Retry-After` says after a 429). Contest `default` (open) held {int(default_total):,} votes, `finals`
(closed) {int(finals_total):,}. {cores} cores; JVM `{jvm}`; settings: {settings.strip() or 'the defaults'}.
Before the runs: {busy.strip().rstrip(',')}. CPU, in cores over each run: the standalone (its JVM and
redis-server), the clients (wrk, the curls and this script), and other work on the machine.

| | votes/s | p50 ms | p99 ms | standalone CPU | clients CPU | other CPU | exports 200 | exports 429 | s per export | MB per export |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{rows}
{mrows}

Metrics at the end: {'; '.join(metrics.splitlines())}
"""
open(out + ".md", "w").write(md)
print(md)
print(f"single votes alone: {means['alone']['votes_per_s']:.0f}/s; under the flood of open-contest exports: "
      f"{means['open']['votes_per_s']:.0f}/s ({means['open']['of_alone']:.0%}); of closed-contest exports: "
      f"{means['closed']['votes_per_s']:.0f}/s ({means['closed']['of_alone']:.0%})")
PY
say "wrote $out.json and $out.md"
