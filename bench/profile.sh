#!/usr/bin/env bash
# CPU cost per vote, by stage, of one standalone under a steady load: where the two cores go.
#   1. starts ./ovation standalone (scratch data dir, its own ports) with Java Flight Recorder ready;
#   2. warms it up with the load generator, then runs DURATION seconds of PROTOCOL at RATE votes/s
#      reading the CPU time of the JVM and of its redis-server child from /proc (no recorder: JFR's
#      own sampling costs CPU), then the same load again under JFR;
#   3. attributes every JFR execution sample to a stage by its thread and stack (bench/profile_stages.py)
#      and scales the stages' shares of samples to the JVM's CPU seconds measured without JFR, divided
#      by the votes counted: microseconds of CPU per vote, per stage. Redis is its own process: its
#      CPU is measured directly.
#   4. writes bench/results/profile-<label>-<date>-<host>.json and .md (the table is printed too).
# Usage: bench/profile.sh                 (about 3 minutes)
#        LABEL=before OVATION_JAR=/path/to/older/ovation.jar bench/profile.sh   (profile another build)
# Knobs: PROTOCOL (http-batch), RATE (20000), DURATION (30), WARMUP (30), LABEL (current), OVATION_JAR,
#        RESULTS_DIR (bench/results), PORT_BASE (21000: ports PORT_BASE..PORT_BASE+6),
#        SCRAPE_EVERY (5: seconds between two scrapes of /metrics, as a Prometheus would; 0: none).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
PROTOCOL=${PROTOCOL:-http-batch}
RATE=${RATE:-20000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-30}
LABEL=${LABEL:-current}
RESULTS_DIR=${RESULTS_DIR:-bench/results}
PORT_BASE=${PORT_BASE:-21000}
SCRAPE_EVERY=${SCRAPE_EVERY:-5}
HTTP_PORT=$PORT_BASE GRPC_PORT=$((PORT_BASE + 1)) RESULTS_PORT=$((PORT_BASE + 2))
KAFKA_PORT=$((PORT_BASE + 3)) REDIS_PORT=$((PORT_BASE + 4)) MONGO_PORT=$((PORT_BASE + 5))
COUNTER_PORT=$((PORT_BASE + 6))
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m"}

started=$(date +%s)
say() { printf '[profile %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

if [ -z "${OVATION_JAR:-}" ]; then
  say "building the launcher jar if needed..."
  ./ovation --version >/dev/null
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ovation-profile.XXXXXX")
jar="$work/ovation.jar"
cp "${OVATION_JAR:-$root/ovation-launcher/target/ovation.jar}" "$jar"
pid=""
scraper=""
cleanup() {
  if [ -n "$scraper" ]; then kill "$scraper" 2>/dev/null || true; fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# builds from before the counter had a port do not know --counter-port
counter_port_option() {
  if java -jar "$jar" standalone --help 2>/dev/null | grep -q -- --counter-port; then
    echo "--counter-port $COUNTER_PORT"
  fi
}
say "starting standalone (work dir $work)..."
# shellcheck disable=SC2086
java ${OVATION_JAVA_OPTS:--XX:+UseG1GC -Xmx1g} -jar "$jar" standalone --data-dir "$work/data" --http-port "$HTTP_PORT" \
  --grpc-port "$GRPC_PORT" --results-port "$RESULTS_PORT" --kafka-port "$KAFKA_PORT" --redis-port "$REDIS_PORT" \
  --mongo-port "$MONGO_PORT" $(counter_port_option) >"$work/standalone.out" 2>"$work/standalone.log" &
pid=$!
for _ in $(seq 1 180); do
  grep -q "Ovation is running" "$work/standalone.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "standalone exited; see $work/standalone.log"
  sleep 1
done
grep -q "Ovation is running" "$work/standalone.out" || fail "standalone not ready after 180 s"
redis_pid=$(pgrep -P "$pid" redis-server || pgrep -P "$pid" | head -1)
[ -n "$redis_pid" ] || fail "no redis-server child of the standalone"
if [ "$SCRAPE_EVERY" != 0 ]; then
  # what a Prometheus scraping the standalone costs is part of what is measured (a build without
  # /metrics answers 404, cheaply)
  (while true; do curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/metrics"; sleep "$SCRAPE_EVERY"; done) &
  scraper=$!
fi

loadgen() {
  # shellcheck disable=SC2086
  java $LOADGEN_JAVA_OPTS -jar "$jar" loadgen --quiet --ingest-url "http://127.0.0.1:$HTTP_PORT" \
    --grpc-target "127.0.0.1:$GRPC_PORT" --results-url "http://127.0.0.1:$RESULTS_PORT" "$@"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
counted() {
  curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/default/results" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total"]+r["duplicates"]+sum(r["rejected"].values()))'
}

say "warming up: ${WARMUP} s of $PROTOCOL at $RATE votes/s..."
loadgen -p "$PROTOCOL" --rate "$RATE" --warmup 0s --duration "${WARMUP}s" --no-verify --no-freshness \
  >"$work/warmup.txt" 2>&1 || say "the warm-up did not pass (see $work/warmup.txt); going on"
sleep 3

# JFR's profile settings with a 2 ms sampling period, so 30 s give enough samples per stage
jfc="$work/profile.jfc"
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
python3 - "$java_home/lib/jfr/profile.jfc" "$jfc" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'(<event name="jdk.ExecutionSample">.*?<setting name="period"[^>]*>)[^<]*(</setting>)', r'\g<1>2 ms\2', text, flags=re.S)
open(sys.argv[2], "w").write(text)
PY
drained() {  # waits until the counted total stops moving (at most 60 s), prints it
  local last=-1 now
  for _ in $(seq 1 60); do
    now=$(counted)
    [ "$now" = "$last" ] && break
    last=$now; sleep 1
  done
  echo "$now"
}
# Window 1, no recorder: the CPU time of the JVM and of Redis per vote counted (JFR's sampling at
# 2 ms costs CPU of its own, so it must not be in this measurement).
say "measuring: ${DURATION} s of $PROTOCOL at $RATE votes/s, no recorder..."
before_votes=$(drained); jvm0=$(ticks "$pid"); redis0=$(ticks "$redis_pid"); t0=$(date +%s%N)
loadgen -p "$PROTOCOL" --rate "$RATE" --warmup 0s --duration "${DURATION}s" --no-verify --no-freshness \
  --report "$work/load.json" >"$work/load.txt" 2>&1 || say "the load run did not pass (see $work/load.txt)"
after_votes=$(drained); jvm1=$(ticks "$pid"); redis1=$(ticks "$redis_pid"); t1=$(date +%s%N)
say "window: $((after_votes - before_votes)) votes counted in $(( (t1 - t0) / 1000000 )) ms (load and drain)"
# Window 2, the same load under JFR: only the shares of the samples are used.
say "recording: ${DURATION} s of the same load with JFR..."
jcmd "$pid" JFR.start name=profile settings="$jfc" filename="$work/profile.jfr" >/dev/null
loadgen -p "$PROTOCOL" --rate "$RATE" --warmup 0s --duration "${DURATION}s" --no-verify --no-freshness \
  >"$work/load-jfr.txt" 2>&1 || say "the recorded load run did not pass (see $work/load-jfr.txt)"
drained >/dev/null
jcmd "$pid" JFR.stop name=profile >/dev/null

jfr print --json --events jdk.ExecutionSample "$work/profile.jfr" >"$work/samples.json"
day=$(date -u +%Y-%m-%d); host=$(uname -n)
mkdir -p "$RESULTS_DIR"
out="$(cd "$RESULTS_DIR" && pwd)/profile-$LABEL-$day-$host"
python3 "$root/bench/profile_stages.py" "$work/samples.json" \
  --votes "$((after_votes - before_votes))" --seconds "$(python3 -c "print(($t1 - $t0) / 1e9)")" \
  --jvm-ticks "$((jvm1 - jvm0))" --redis-ticks "$((redis1 - redis0))" --ticks-per-second "$(getconf CLK_TCK)" \
  --label "$LABEL" --protocol "$PROTOCOL" --rate "$RATE" --load-report "$work/load.json" \
  --command "LABEL=$LABEL PROTOCOL=$PROTOCOL RATE=$RATE DURATION=$DURATION bench/profile.sh" --out "$out"
say "wrote $out.json and $out.md"
