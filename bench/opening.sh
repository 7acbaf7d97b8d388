#!/usr/bin/env bash
# The opening minute: how Ovation answers and counts in the first seconds after it says it is ready,
# against the same process warm. For each case it starts a fresh `ovation standalone` (scratch data
# directory), waits for the ingest's /health/ready to answer 200 (polled every 20 ms), and at once
# sends load with a native client (h2load: C, HTTP/1.1 with --h1 or HTTP/2 for gRPC; it logs every
# request, so the percentiles come per second), while bench/opening.py samples every 250 ms the votes
# acknowledged (the ingest's metric), the votes counted (the results API), the process's CPU and the
# JIT's compilation time. Per case: a table per second from ready, CASE/summary.json, CASE/chart.svg.
#
# Cases (CASES, default "batch http grpc"):
#   batch     8 connections posting 500-vote batches to /api/votes/batch: 10 s cold, 50 s more load,
#             10 s warm (the warm phase is the same process after a minute of load)
#   http      32 connections posting one vote each to /api/votes: cold, 50 s, warm
#   grpc      4 connections x 16 calls of ovation.v1.VoteService/Cast: cold, 50 s, warm
#   idle      batch's cold 10 s, but after the standalone has been up and idle IDLE_SECONDS (600)
#   join      20,000 votes/s of batches for JOIN_SECONDS (90); a counter joins after 10 s and leaves 30 s
#             later (the counting lag meanwhile, the new one's time to ready and to its first batch); then
#             an ingest starts beside the standalone and takes 32 connections of single votes from the
#             moment it is ready (CASE/join.txt, and its per-second table as the phase "joined-ingest")
#   loadgen   the project's own generator, as cold as the server, started at ready: http-batch at
#             60,000 votes/s for 50 s (LOADGEN_ARGS), its per-second report kept in CASE/loadgen.txt
#
# Usage: bench/opening.sh                 (about 6 minutes for the default cases; idle adds 11)
# CATCHUP_PROFILE=1 records the batch case's catch-up (the burst's end until every vote is counted) with
# JFR and splits its CPU by stage with bench/profile_stages.py: CASE/catchup-profile.md.
# EXTRA_COUNTERS=N starts N more counters (`ovation counter`, each its own JVM, in the standalone's group)
# and waits for them to be ready before the load: the counters' scale-out, measured on the same cores.
# Knobs: CASES, CATCHUP_PROFILE (0), EXTRA_COUNTERS (0), COLD_SECONDS (10), BETWEEN_SECONDS (50), WARM_SECONDS (10), IDLE_SECONDS (600),
#   JAVA_OPTS (as ./ovation), STANDALONE_ARGS (extra options), OUT (a scratch directory),
#   OVATION_JAR, and the ports HTTP_PORT (18080), GRPC_PORT (15051), RESULTS_PORT (18088),
#   KAFKA_PORT (29092), REDIS_PORT (26379), MONGO_PORT (37027), COUNTER_PORT (18090).
# Needs h2load (Debian: nghttp2-client), curl and python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/bench"
CASES=${CASES:-"batch http grpc"}
COLD_SECONDS=${COLD_SECONDS:-10} BETWEEN_SECONDS=${BETWEEN_SECONDS:-50} WARM_SECONDS=${WARM_SECONDS:-10}
IDLE_SECONDS=${IDLE_SECONDS:-600} JOIN_SECONDS=${JOIN_SECONDS:-90} EXTRA_COUNTERS=${EXTRA_COUNTERS:-0}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseG1GC -Xmx1g"}
STANDALONE_ARGS=${STANDALONE_ARGS:-}
LOADGEN_ARGS=${LOADGEN_ARGS:-"-p http-batch --generate --voters 1000000 --duplicates 0.01 --batch-size 500 --rate 60000 --warmup 1s --duration 50s"}
HTTP_PORT=${HTTP_PORT:-18080} GRPC_PORT=${GRPC_PORT:-15051} RESULTS_PORT=${RESULTS_PORT:-18088}
KAFKA_PORT=${KAFKA_PORT:-29092} REDIS_PORT=${REDIS_PORT:-26379} MONGO_PORT=${MONGO_PORT:-37027}
COUNTER_PORT=${COUNTER_PORT:-18090}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/opening.XXXXXX")}
jar=${OVATION_JAR:-$root/ovation-launcher/target/ovation.jar}
command -v h2load >/dev/null || { echo "h2load is missing (Debian: apt-get install nghttp2-client)" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -ntp -q -DskipTests package -pl ovation-launcher -am)
mkdir -p "$OUT"

python3 "$here/ingest-payloads.py" "$OUT/payloads"

# CATCHUP_PROFILE=1: JFR's profile settings with a 2 ms sampling period (as bench/profile.sh), for the catch-up
CATCHUP_PROFILE=${CATCHUP_PROFILE:-0}
jfc="$OUT/profile.jfc"
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
python3 - "$java_home/lib/jfr/profile.jfc" "$jfc" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'(<event name="jdk.ExecutionSample">.*?<setting name="period"[^>]*>)[^<]*(</setting>)', r'\g<1>2 ms\2', text, flags=re.S)
open(sys.argv[2], "w").write(text)
PY
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

pid=""
stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  pid=""
}
trap stop EXIT

now() { date +%s.%N; }

# starts a fresh standalone for case $1 and returns once /health/ready answers 200
start() {
  local dir=$1 t0
  rm -rf "$OUT/data"
  t0=$(now)
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$jar" standalone --data-dir="$OUT/data" --http-port="$HTTP_PORT" \
    --grpc-port="$GRPC_PORT" --results-port="$RESULTS_PORT" --kafka-port="$KAFKA_PORT" \
    --redis-port="$REDIS_PORT" --mongo-port="$MONGO_PORT" --counter-port="$COUNTER_PORT" \
    $STANDALONE_ARGS >"$dir/standalone.log" 2>&1 &
  pid=$!
  while ! curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/standalone.log" >&2; echo "standalone did not start" >&2; exit 1; }
    sleep 0.02
  done
  now >"$dir/ready"
  python3 -c "import sys; print(round(float(sys.argv[1]) - float(sys.argv[2]), 2))" "$(cat "$dir/ready")" "$t0" >"$dir/started"
}

# h2load for one kind of load: $1 kind, $2 seconds, $3 per-request log (or /dev/null)
load() {
  local kind=$1 seconds=$2 log=$3
  case $kind in
    batch|idle) h2load --h1 -c8 -m1 -D "$seconds" --log-file="$log" -d "$OUT/payloads/batch-500.json" \
        -H 'content-type: application/json' "http://127.0.0.1:$HTTP_PORT/api/votes/batch" ;;
    http) h2load --h1 -c32 -m1 -D "$seconds" --log-file="$log" -d "$OUT/payloads/vote.json" \
        -H 'content-type: application/json' "http://127.0.0.1:$HTTP_PORT/api/votes" ;;
    grpc) h2load -c4 -m16 -D "$seconds" --log-file="$log" -d "$OUT/payloads/vote.grpc" \
        -H 'content-type: application/grpc' -H 'te: trailers' "http://127.0.0.1:$GRPC_PORT/ovation.v1.VoteService/Cast" ;;
  esac >"$log.txt" 2>&1
}

# The join case: 20,000 votes/s of batches on the standalone for JOIN_SECONDS; a counter joins its group
# after 10 s and leaves 30 s later; then an ingest starts beside it and takes single votes from its first
# ready second (its per-second numbers in CASE/joined-ingest.h2load.log).
join_case() {
  local dir=$1 role_env counter_pid ingest_pid t_start
  role_env=(OVATION_KAFKA="127.0.0.1:$KAFKA_PORT" OVATION_REDIS="redis://127.0.0.1:$REDIS_PORT"
    OVATION_MONGO="mongodb://127.0.0.1:$MONGO_PORT" OVATION_HOST=127.0.0.1)
  h2load --h1 -c4 --rps=10 -m1 -D "$JOIN_SECONDS" -d "$OUT/payloads/batch-500.json" \
    -H 'content-type: application/json' "http://127.0.0.1:$HTTP_PORT/api/votes/batch" >"$dir/steady.h2load.txt" 2>&1 &
  local steady=$!
  sleep 10
  t_start=$(now)
  # shellcheck disable=SC2086
  env "${role_env[@]}" OVATION_COUNTER_PORT=$((COUNTER_PORT + 1)) java $JAVA_OPTS -jar "$jar" counter \
    >"$dir/joined-counter.log" 2>&1 &
  counter_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$((COUNTER_PORT + 1))/health/ready"; do sleep 0.05; done
  echo "joined counter ready after $(python3 -c "print(round($(now) - $t_start, 2))") s" | tee -a "$dir/join.txt"
  until [ "$(curl -s "http://127.0.0.1:$((COUNTER_PORT + 1))/metrics" | awk '/^ovation_counter_batch_count/ { print $2 }')" != "0.0" ]; do
    sleep 0.05
  done
  echo "joined counter counting after $(python3 -c "print(round($(now) - $t_start, 2))") s" | tee -a "$dir/join.txt"
  sleep 30
  echo "joined counter leaves at $(python3 -c "print(round($(now) - $(cat "$dir/ready"), 1))") s" | tee -a "$dir/join.txt"
  kill "$counter_pid"; wait "$counter_pid" || true
  t_start=$(now)
  # shellcheck disable=SC2086
  # loopback exempt from the per-address limit, as standalone does: h2load is one address
  env "${role_env[@]}" OVATION_HTTP_PORT=$((HTTP_PORT + 1)) OVATION_GRPC_PORT=$((GRPC_PORT + 1)) \
    OVATION_RATE_LIMIT_EXEMPT=127.0.0.0/8 java $JAVA_OPTS -jar "$jar" ingest >"$dir/joined-ingest.log" 2>&1 &
  ingest_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$((HTTP_PORT + 1))/health/ready"; do sleep 0.02; done
  now >"$dir/joined-ingest-start"
  echo "joined ingest ready after $(python3 -c "print(round($(now) - $t_start, 2))") s" | tee -a "$dir/join.txt"
  h2load --h1 -c32 -m1 -D "$COLD_SECONDS" --log-file="$dir/joined-ingest.h2load.log" -d "$OUT/payloads/vote.json" \
    -H 'content-type: application/json' "http://127.0.0.1:$((HTTP_PORT + 1))/api/votes" >"$dir/joined-ingest.txt" 2>&1
  kill "$ingest_pid"; wait "$ingest_pid" || true
  wait "$steady" || true
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), JAVA_OPTS $JAVA_OPTS" | tee "$OUT/machine.txt"
for case in $CASES; do
  dir="$OUT/$case"
  rm -rf "$dir"; mkdir -p "$dir"
  start "$dir"
  echo "$case: ready $(cat "$dir/started") s after the start" >&2
  extra_pids=""
  for n in $(seq 1 "$EXTRA_COUNTERS"); do
    env OVATION_KAFKA="127.0.0.1:$KAFKA_PORT" OVATION_REDIS="redis://127.0.0.1:$REDIS_PORT" \
      OVATION_MONGO="mongodb://127.0.0.1:$MONGO_PORT" OVATION_HOST=127.0.0.1 OVATION_COUNTER_PORT=$((COUNTER_PORT + 10 + n)) \
      java $JAVA_OPTS -jar "$jar" counter >"$dir/extra-counter-$n.log" 2>&1 &
    extra_pids="$extra_pids $!"
  done
  for n in $(seq 1 "$EXTRA_COUNTERS"); do
    until curl -sf -o /dev/null "http://127.0.0.1:$((COUNTER_PORT + 10 + n))/health/ready"; do sleep 0.1; done
  done
  [ "$EXTRA_COUNTERS" = 0 ] || { echo "$case: $EXTRA_COUNTERS more counters ready" >&2; now >"$dir/ready"; }
  if [ "$case" = idle ]; then
    echo "$case: idle for $IDLE_SECONDS s" >&2
    sleep "$IDLE_SECONDS"
    now >"$dir/ready"
  fi
  python3 "$here/opening.py" sample "$pid" "http://127.0.0.1:$HTTP_PORT" "http://127.0.0.1:$RESULTS_PORT" default \
    "$dir/samples.csv" "$dir/load-end" --settle-seconds 60 &
  sampler=$!
  now >"$dir/load-start"
  if [ "$case" = join ]; then
    join_case "$dir"
    now >"$dir/load-end"
  elif [ "$case" = loadgen ]; then
    # shellcheck disable=SC2086
    java -jar "$jar" loadgen $LOADGEN_ARGS --ingest-url "http://127.0.0.1:$HTTP_PORT" --grpc-target "127.0.0.1:$GRPC_PORT" --results-url "http://127.0.0.1:$RESULTS_PORT" \
      >"$dir/loadgen.txt" 2>&1 || true
    now >"$dir/load-end"
  else
    load "$case" "$COLD_SECONDS" "$dir/cold.h2load.log"
    now >"$dir/load-end"
  fi
  if [ "$CATCHUP_PROFILE" = 1 ] && [ "$case" = batch ]; then
    # the catch-up after the burst, under JFR: which stage counting spends its CPU in
    redis_pid=$(pgrep -P "$pid" redis-server | head -1)
    jvm0=$(ticks "$pid"); redis0=$(ticks "$redis_pid"); t0=$(date +%s%N)
    counted0=$(curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/default/results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    jcmd "$pid" JFR.start name=catchup settings="$jfc" filename="$dir/catchup.jfr" >/dev/null
  fi
  wait "$sampler" || true
  if [ "$CATCHUP_PROFILE" = 1 ] && [ "$case" = batch ]; then
    jcmd "$pid" JFR.stop name=catchup >/dev/null
    jvm1=$(ticks "$pid"); redis1=$(ticks "$redis_pid"); t1=$(date +%s%N)
    counted1=$(curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/default/results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    jfr print --json --events jdk.ExecutionSample "$dir/catchup.jfr" >"$dir/catchup-samples.json"
    python3 "$here/profile_stages.py" "$dir/catchup-samples.json" --votes "$((counted1 - counted0))" \
      --seconds "$(python3 -c "print(($t1 - $t0) / 1e9)")" --jvm-ticks "$((jvm1 - jvm0))" \
      --redis-ticks "$((redis1 - redis0))" --ticks-per-second "$(getconf CLK_TCK)" --label catch-up \
      --protocol "counting after the burst" --rate 0 --command "CASES=batch CATCHUP_PROFILE=1 bench/opening.sh" \
      --out "$dir/catchup-profile" | tee -a "$OUT/results.txt"
  fi
  if [ "$case" = batch ] || [ "$case" = http ] || [ "$case" = grpc ]; then
    echo "$case: $BETWEEN_SECONDS s more load, then $WARM_SECONDS s warm" >&2
    load "$case" "$BETWEEN_SECONDS" /dev/null
    now >"$dir/warm-start"
    load "$case" "$WARM_SECONDS" "$dir/warm.h2load.log"
  fi
  for extra in $extra_pids; do kill "$extra"; wait "$extra" || true; done
  stop
  python3 "$here/opening.py" report "$dir" "$case, from $( [ "$case" = idle ] && echo "an idle" || echo "a cold") start" \
    | tee -a "$OUT/results.txt"
done
echo "results in $OUT/results.txt; charts in $OUT/*/chart.svg"
