#!/usr/bin/env bash
# The ingest's throughput benchmark: for each kind of load (see bench/ingest-load.sh) and each
# repeat, starts a fresh `ovation standalone` (scratch data directory, so the in-memory vote log
# starts empty), warms it up with the same load, measures, and stops it. Results go to stdout and
# to $OUT/results.txt.
#
# Usage: bench/ingest-bench.sh <ovation.jar> [kinds...]
#   kinds default to: http-get grpc-health http-vote grpc-vote http-batch grpc-stream
# Environment: REPEATS (3), SECONDS_EACH (20), WARMUP_SECONDS (10), CONNECTIONS (64),
#   JAVA_OPTS (-XX:+UseZGC, as ./ovation), JFR (1: record the measured part of the first repeat
#   into $OUT/<kind>.jfr), and the ports HTTP_PORT (18080), GRPC_PORT (15051), RESULTS_PORT
#   (18088), KAFKA_PORT (29092), REDIS_PORT (26379), MONGO_PORT (37027): non-default, so that it
#   runs beside a standalone on the defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar=$(realpath "$1"); shift
kinds=${*:-"http-get grpc-health http-vote grpc-vote http-batch grpc-stream"}
REPEATS=${REPEATS:-3} SECONDS_EACH=${SECONDS_EACH:-20} WARMUP_SECONDS=${WARMUP_SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-64} JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseZGC"} JFR=${JFR:-0}
export HTTP_PORT=${HTTP_PORT:-18080} GRPC_PORT=${GRPC_PORT:-15051}
RESULTS_PORT=${RESULTS_PORT:-18088} KAFKA_PORT=${KAFKA_PORT:-29092}
REDIS_PORT=${REDIS_PORT:-26379} MONGO_PORT=${MONGO_PORT:-37027}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ingest-bench.XXXXXX")}
mkdir -p "$OUT"
pid=""
stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  pid=""
}
trap stop EXIT

start() {
  rm -rf "$OUT/data"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$jar" standalone --data-dir="$OUT/data" --http-port="$HTTP_PORT" \
    --grpc-port="$GRPC_PORT" --results-port="$RESULTS_PORT" --kafka-port="$KAFKA_PORT" \
    --redis-port="$REDIS_PORT" --mongo-port="$MONGO_PORT" >"$OUT/standalone.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  tail -20 "$OUT/standalone.log" >&2
  echo "standalone did not start" >&2
  exit 1
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), jar $jar" | tee -a "$OUT/results.txt"
for kind in $kinds; do
  for repeat in $(seq 1 "$REPEATS"); do
    start
    OUT=$OUT/load "$here/ingest-load.sh" "$pid" "$kind" "$WARMUP_SECONDS" "$CONNECTIONS" >/dev/null 2>&1
    if [ "$JFR" = 1 ] && [ "$repeat" = 1 ]; then
      jcmd "$pid" JFR.start name=ingest settings=profile duration="${SECONDS_EACH}s" \
        filename="$OUT/$kind.jfr" >/dev/null
    fi
    echo "load $(cut -d' ' -f1-3 /proc/loadavg) | $(OUT=$OUT/load "$here/ingest-load.sh" "$pid" "$kind" "$SECONDS_EACH" "$CONNECTIONS" 2>>"$OUT/load.err")" \
      | tee -a "$OUT/results.txt"
    if [ "$JFR" = 1 ] && [ "$repeat" = 1 ]; then
      sleep 2
    fi
    stop
  done
done
echo "results in $OUT/results.txt"
