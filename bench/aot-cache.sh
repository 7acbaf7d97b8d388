#!/usr/bin/env bash
# Makes an ahead-of-time cache for Ovation (JDK 25's AOT cache, JEPs 483 and 515: the classes loaded and
# linked, and the methods' profiles, of a training run), so that a JVM started with
# -XX:AOTCache=FILE listens sooner and compiles its hot code sooner. The training run is a fresh
# `ovation standalone` (scratch data) through its warm-up (every role's real code paths) and, when
# h2load is here and TRAIN_SECONDS is not 0, TRAIN_SECONDS of each load of bench/opening.sh (batches,
# single HTTP votes, gRPC votes); then it stops, and the cache is made from what it recorded.
# Usage: bench/aot-cache.sh [CACHE]        (default: ovation-launcher/target/ovation.aot)
# The cache fits one JVM build and one jar (the same path, size and time): make it again after a build.
# Use it: JAVA_OPTS="-XX:AOTCache=CACHE" ./ovation standalone, or OVATION_AOT_CACHE=CACHE ./ovation ...
# Needs Java 25 or later as `java` (or JAVA=...), curl, python3; h2load (Debian: nghttp2-client) for the load.
# Knobs: TRAIN_SECONDS (15 per load; 0: the warm-up only), OVATION_JAR, OUT (a scratch directory), and the
#   ports HTTP_PORT (18080), GRPC_PORT (15051), RESULTS_PORT (18088), KAFKA_PORT (29092), REDIS_PORT (26379),
#   MONGO_PORT (37027), COUNTER_PORT (18090).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAVA=${JAVA:-java}
jar=${OVATION_JAR:-$root/ovation-launcher/target/ovation.jar}
cache=${1:-$root/ovation-launcher/target/ovation.aot}
TRAIN_SECONDS=${TRAIN_SECONDS:-15}
HTTP_PORT=${HTTP_PORT:-18080} GRPC_PORT=${GRPC_PORT:-15051} RESULTS_PORT=${RESULTS_PORT:-18088}
KAFKA_PORT=${KAFKA_PORT:-29092} REDIS_PORT=${REDIS_PORT:-26379} MONGO_PORT=${MONGO_PORT:-37027}
COUNTER_PORT=${COUNTER_PORT:-18090}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/aot-cache.XXXXXX")}
progress() { echo "aot-cache: $(date +%T) $*"; }

feature=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${feature:-0}" -ge 25 ] || { echo "aot-cache: needs Java 25 or later as \$JAVA (this is Java ${feature:-unknown}):" \
    "e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java $0" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -ntp -q -DskipTests package -pl ovation-launcher -am)
mkdir -p "$OUT"
config="$OUT/ovation.aotconf"

pid=""
stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  fi
  pid=""
}
trap stop EXIT

progress "training: a fresh standalone in record mode ($jar)"
"$JAVA" -XX:AOTMode=record -XX:AOTConfiguration="$config" -XX:+UseG1GC -Xmx1g -jar "$jar" standalone \
  --data-dir="$OUT/data" --http-port="$HTTP_PORT" --grpc-port="$GRPC_PORT" --results-port="$RESULTS_PORT" \
  --kafka-port="$KAFKA_PORT" --redis-port="$REDIS_PORT" --mongo-port="$MONGO_PORT" --counter-port="$COUNTER_PORT" \
  >"$OUT/standalone.log" 2>&1 &
pid=$!
deadline=$((SECONDS + 180))
until curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready"; do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$OUT/standalone.log" >&2; echo "aot-cache: the standalone did not start" >&2; exit 1; }
  [ "$SECONDS" -lt "$deadline" ] || { echo "aot-cache: not ready after 180 s; see $OUT/standalone.log" >&2; exit 1; }
  sleep 0.5
done
progress "ready (its warm-up done): $(grep -o 'ready in [^:]*' "$OUT/standalone.log" | head -1)"

if [ "$TRAIN_SECONDS" != 0 ] && command -v h2load >/dev/null; then
  python3 "$here/ingest-payloads.py" "$OUT/payloads" >/dev/null
  progress "load: ${TRAIN_SECONDS}s of batches, of single HTTP votes, of gRPC votes"
  h2load --h1 -c8 -m1 -D "$TRAIN_SECONDS" -d "$OUT/payloads/batch-500.json" -H 'content-type: application/json' \
    "http://127.0.0.1:$HTTP_PORT/api/votes/batch" >"$OUT/batch.txt" 2>&1
  h2load --h1 -c32 -m1 -D "$TRAIN_SECONDS" -d "$OUT/payloads/vote.json" -H 'content-type: application/json' \
    "http://127.0.0.1:$HTTP_PORT/api/votes" >"$OUT/http.txt" 2>&1
  h2load -c4 -m16 -D "$TRAIN_SECONDS" -d "$OUT/payloads/vote.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$GRPC_PORT/ovation.v1.VoteService/Cast" >"$OUT/grpc.txt" 2>&1
else
  progress "no load beyond the warm-up (TRAIN_SECONDS=0 or no h2load)"
fi

progress "stopping; the JVM writes what it recorded as it exits"
stop
[ -s "$config" ] || { echo "aot-cache: the training run wrote no configuration ($config)" >&2; exit 1; }
progress "making the cache"
"$JAVA" -XX:AOTMode=create -XX:AOTConfiguration="$config" -XX:AOTCache="$cache" -XX:+UseG1GC -Xmx1g -jar "$jar" \
  >"$OUT/create.log" 2>&1 || { tail -20 "$OUT/create.log" >&2; exit 1; }
progress "done: $cache ($(du -h "$cache" | cut -f1)); use it with -XX:AOTCache=$cache and this jar, this JVM"
