#!/usr/bin/env bash
# A rolling restart under load, the way Kubernetes does one: two ingest replicas behind a load
# balancer that follows their readiness (HAProxy, checking /health/ready on each management port
# every second), single votes over HTTP (wrk) and gRPC (h2load) through it, and each replica in turn
# sent SIGTERM, waited for, started again and waited ready. Then: every request answered? every
# acknowledged vote counted (the results API's total against the 2xx answers)?
#
# Usage: bench/drain.sh [OUT]            (about 2 minutes; OUT defaults to a scratch directory)
# Knobs: DRAIN_SECONDS (5: the ingest's OVATION_DRAIN_SECONDS; 0 shows what happens without a drain),
#        LOAD_SECONDS (60), HTTP_CONNECTIONS (8), GRPC_CONNECTIONS (2) x GRPC_STREAMS (8),
#        WARMUP_SECONDS (5, each ingest's OVATION_WARMUP_SECONDS), OVATION_JAR.
# Needs haproxy, wrk, h2load (Debian: haproxy, wrk, nghttp2-client), curl and python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/bench"
OUT=${1:-$(mktemp -d "${TMPDIR:-/tmp}/drain.XXXXXX")}
DRAIN_SECONDS=${DRAIN_SECONDS:-5} LOAD_SECONDS=${LOAD_SECONDS:-60}
HTTP_CONNECTIONS=${HTTP_CONNECTIONS:-8} GRPC_CONNECTIONS=${GRPC_CONNECTIONS:-2} GRPC_STREAMS=${GRPC_STREAMS:-8}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
jar=${OVATION_JAR:-$root/ovation-launcher/target/ovation.jar}
for tool in haproxy wrk h2load curl python3; do
  command -v "$tool" >/dev/null || { echo "drain: $tool is missing (Debian: haproxy wrk nghttp2-client curl python3)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "drain: $jar is missing: ./mvnw -q -DskipTests package" >&2; exit 2; }
mkdir -p "$OUT"
cp "$jar" "$OUT/ovation.jar"   # a rebuild meanwhile cannot change what runs
jar=$OUT/ovation.jar
KAFKA_PORT=29192 REDIS_PORT=26479 MONGO_PORT=37127 RESULTS_PORT=28088 COUNTER_PORT=28098
LB_HTTP=28000 LB_GRPC=28001
http_port() { echo $((28080 + 10 * ($1 - 1))); }
grpc_port() { echo $((25051 + 10 * ($1 - 1))); }
mgmt_port() { echo $((28081 + 10 * ($1 - 1))); }

pids=()
cleanup() {
  for pid in "${pids[@]}" $(cat "$OUT"/ingest-*.pid 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
log() { printf '%6.1f s  %s\n' "$(python3 -c "import time; print(time.time() - $start)")" "$*" | tee -a "$OUT/timeline.txt"; }
await_ready() {  # url, seconds
  local deadline=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; do
    [ $SECONDS -lt "$deadline" ] || { echo "drain: $1 not ready within $2 s" >&2; exit 1; }
    sleep 0.2
  done
}

start=$(date +%s.%N)
java -XX:+UseSerialGC -Xmx512m -jar "$jar" infra --data-dir "$OUT/data" --kafka-port $KAFKA_PORT \
  --redis-port $REDIS_PORT --mongo-port $MONGO_PORT >"$OUT/infra.log" 2>&1 &
pids+=($!)
until grep -q "is running" "$OUT/infra.log"; do sleep 0.5; done
role_env=(OVATION_KAFKA=127.0.0.1:$KAFKA_PORT OVATION_REDIS=redis://127.0.0.1:$REDIS_PORT
  OVATION_MONGO=mongodb://127.0.0.1:$MONGO_PORT OVATION_HOST=127.0.0.1 OVATION_RATE_LIMIT_EXEMPT=127.0.0.0/8
  OVATION_WARMUP_SECONDS=$WARMUP_SECONDS OVATION_VOTER_SALT=drain-bench)
env "${role_env[@]}" OVATION_COUNTER_PORT=$COUNTER_PORT java -Xmx512m -jar "$jar" counter >"$OUT/counter.log" 2>&1 &
pids+=($!)
env "${role_env[@]}" OVATION_RESULTS_PORT=$RESULTS_PORT OVATION_MANAGEMENT_PORT=$((RESULTS_PORT + 1)) \
  java -Xmx512m -jar "$jar" results >"$OUT/results.log" 2>&1 &
pids+=($!)
start_ingest() {
  env "${role_env[@]}" OVATION_HTTP_PORT="$(http_port "$1")" OVATION_GRPC_PORT="$(grpc_port "$1")" \
    OVATION_MANAGEMENT_PORT="$(mgmt_port "$1")" OVATION_DRAIN_SECONDS="$DRAIN_SECONDS" \
    java -Xmx512m -jar "$jar" ingest >>"$OUT/ingest-$1.log" 2>&1 &
  echo $! >"$OUT/ingest-$1.pid"
}
start_ingest 1
start_ingest 2
for n in 1 2; do await_ready "http://127.0.0.1:$(mgmt_port $n)/health/ready" 180; done
await_ready "http://127.0.0.1:$COUNTER_PORT/health/ready" 180
await_ready "http://127.0.0.1:$RESULTS_PORT/health/ready" 180
log "infrastructure, counter, results and two ingest replicas ready"

cat >"$OUT/haproxy.cfg" <<EOF
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # only a connection that failed is tried again elsewhere: a vote sent is never sent twice
  retries 3
  retry-on conn-failure
  option redispatch
  # a replica is taken out after two failed checks a second apart (a check may take 3 s on a busy
  # machine): the ingest's drain must outlast that, so DRAIN_SECONDS is 5 here (10 on Kubernetes)
  timeout check 3s
  default-server inter 1s fall 2 rise 2
frontend votes_http
  bind 127.0.0.1:$LB_HTTP
  default_backend ingest_http
frontend votes_grpc
  bind 127.0.0.1:$LB_GRPC proto h2
  default_backend ingest_grpc
backend ingest_http
  option httpchk
  http-check connect proto h1
  http-check send meth GET uri /health/ready
  http-check expect status 200
  server ingest-1 127.0.0.1:$(http_port 1) check port $(mgmt_port 1)
  server ingest-2 127.0.0.1:$(http_port 2) check port $(mgmt_port 2)
backend ingest_grpc
  # the check asks the management port over HTTP/1.1, though the server speaks HTTP/2 (gRPC)
  option httpchk
  http-check connect proto h1
  http-check send meth GET uri /health/ready
  http-check expect status 200
  server ingest-1 127.0.0.1:$(grpc_port 1) proto h2 check port $(mgmt_port 1)
  server ingest-2 127.0.0.1:$(grpc_port 2) proto h2 check port $(mgmt_port 2)
EOF
haproxy -q -c -f "$OUT/haproxy.cfg"
haproxy -f "$OUT/haproxy.cfg" >"$OUT/haproxy.log" 2>&1 &
pids+=($!)
sleep 1.5   # two health checks, so both servers are up before the load

python3 "$here/ingest-payloads.py" "$OUT/payloads" >/dev/null
cat >"$OUT/post.lua" <<'LUA'
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = f:read("*a")
f:close()
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests %d status %d connect %d read %d write %d timeout %d p99_ms %.2f\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout, latency:percentile(99) / 1000))
  local all = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do all[code] = (all[code] or 0) + n end
  end
  local line = "STATUSES"
  for code, n in pairs(all) do line = line .. string.format(" %d:%d", code, n) end
  io.write(line .. "\n")
end
LUA
total_before=$(curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/default/results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
log "load: ${LOAD_SECONDS} s of single votes, HTTP (wrk, $HTTP_CONNECTIONS connections) and gRPC (h2load, $GRPC_CONNECTIONS x $GRPC_STREAMS) through HAProxy"
BODY=$OUT/payloads/vote.json wrk -t1 -c"$HTTP_CONNECTIONS" -d"${LOAD_SECONDS}s" -s "$OUT/post.lua" \
  "http://127.0.0.1:$LB_HTTP/api/votes" >"$OUT/wrk.txt" 2>&1 &
wrk_pid=$!
h2load -c"$GRPC_CONNECTIONS" -m"$GRPC_STREAMS" -D"$LOAD_SECONDS" -d "$OUT/payloads/vote.grpc" \
  -H 'content-type: application/grpc' -H 'te: trailers' "http://127.0.0.1:$LB_GRPC/ovation.v1.VoteService/Cast" \
  >"$OUT/h2load.txt" 2>&1 &
h2load_pid=$!
sleep 10
for n in 1 2; do
  pid=$(cat "$OUT/ingest-$n.pid")
  log "SIGTERM ingest-$n (drain ${DRAIN_SECONDS} s)"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  log "ingest-$n exited"
  start_ingest "$n"
  await_ready "http://127.0.0.1:$(mgmt_port "$n")/health/ready" 180
  log "ingest-$n started again and ready"
  sleep 5
done
wait "$wrk_pid" "$h2load_pid" || true
log "load ended"

read -r _ _ requests _ status _ connect _ read _ write _ timeout _ p99 < <(grep '^WRK' "$OUT/wrk.txt")
http_ok=$((requests - status))
grpc_line=$(grep '^requests:' "$OUT/h2load.txt")
grpc_ok=$(grep -o '[0-9]* 2xx' "$OUT/h2load.txt" | awk '{print $1}')
grpc_failed=$(echo "$grpc_line" | python3 -c 'import re,sys; l=sys.stdin.read(); print(" ".join(f"{k} {v}" for v,k in re.findall(r"(\d+) (failed|errored|timeout)", l)))')
acknowledged=$((http_ok + grpc_ok))
# requests still in flight when the tools stopped were sent, and may be counted, but are in no tool's
# total: h2load says how many it started and did not finish; wrk has at most one per connection
grpc_started=$(echo "$grpc_line" | grep -o '[0-9]* started' | awk '{print $1}')
grpc_done=$(echo "$grpc_line" | grep -o '[0-9]* done' | awk '{print $1}')
in_flight=$((grpc_started - grpc_done + HTTP_CONNECTIONS))
counted=$total_before deadline=$((SECONDS + 60))
while [ $((counted - total_before)) -lt "$acknowledged" ] && [ $SECONDS -lt "$deadline" ]; do
  sleep 0.5
  counted=$(curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/default/results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
done
sleep 2   # anything past the acknowledged count would show now
counted=$(curl -s "http://127.0.0.1:$RESULTS_PORT/api/contests/default/results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
counted=$((counted - total_before))
{
  echo "# A rolling restart of two ingest replicas under load ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo "Command: DRAIN_SECONDS=$DRAIN_SECONDS LOAD_SECONDS=$LOAD_SECONDS bench/drain.sh"
  echo
  echo "HTTP (wrk): $requests answered, $status not 2xx; errors: connect $connect, read $read, write $write, timeout $timeout; p99 $p99 ms"
  echo "HTTP answers by status: $(grep '^STATUSES' "$OUT/wrk.txt" | cut -d' ' -f2-)"
  echo "gRPC (h2load): $grpc_line; $grpc_ok answered 2xx"
  echo "acknowledged $acknowledged, counted $counted ($((counted - acknowledged)) more; at most $in_flight were in flight when the tools stopped): $(
    [ "$counted" -ge "$acknowledged" ] && [ "$counted" -le $((acknowledged + in_flight)) ] \
      && echo "every acknowledged vote counted" || echo "MISMATCH")"
  echo
  echo "Timeline:"
  cat "$OUT/timeline.txt"
} | tee "$OUT/summary.txt"
[ "$counted" -ge "$acknowledged" ] && [ "$counted" -le $((acknowledged + in_flight)) ] && [ "$status" -eq 0 ] \
  && [ $((read + write + timeout)) -eq 0 ] && [ "$(echo "$grpc_line" | grep -o '[0-9]* failed' | awk '{print $1}')" -eq 0 ]
