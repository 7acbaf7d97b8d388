#!/usr/bin/env bash
# One load run against a running ingest, with what it cost: requests/s, votes/s, p50/p99 latency,
# the CPU time the ingest's process spent per vote, and that CPU by thread group.
#
# Usage: bench/ingest-load.sh <pid of the ovation process> <kind> [seconds] [connections]
#   kind: http-get     GET /                            (the ingest's Jetty handler answering a constant)
#         http-live    GET /health/live                 (the same through Javalin's routes)
#         http-vote    POST /api/votes, one vote
#         http-batch   POST /api/votes/batch, 100 votes
#         grpc-health  grpc.health.v1.Health/Check      (the gRPC server's no-op ceiling)
#         grpc-vote    ovation.v1.VoteService/Cast, one vote
#         grpc-stream  ovation.v1.VoteService/CastStream, 1,000 votes per call
# HTTP runs use wrk (-t2), gRPC runs h2load (-t2, one stream per connection, so that both keep
# <connections> calls in flight); h2load's per-request log gives the percentiles.
# Environment: HTTP_PORT (8080), GRPC_PORT (50051), HOST (127.0.0.1), OUT (a scratch directory).
# Needs wrk, h2load (Debian: wrk, nghttp2-client) and python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pid=$1 kind=$2 seconds=${3:-20} conns=${4:-64}
HOST=${HOST:-127.0.0.1} HTTP_PORT=${HTTP_PORT:-8080} GRPC_PORT=${GRPC_PORT:-50051}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ingest-load.XXXXXX")}
python3 "$here/ingest-payloads.py" "$OUT/payloads"
cat >"$OUT/post.lua" <<'LUA'
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("STATS %d %d %.3f %.3f\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("ERRORS status %d connect %d read %d write %d timeout %d\n",
    e.status, e.connect, e.read, e.write, e.timeout))
end
LUA

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
votes_per_request=1
before_threads=$("$here/ingest-threads.sh" "$pid")
before_cpu=$(cpu_ticks)
case $kind in
  http-get|http-live|http-vote|http-batch)
    path=/; body=""
    [ "$kind" = http-live ] && path=/health/live
    [ "$kind" = http-vote ] && { path=/api/votes; body="$OUT/payloads/vote.json"; }
    [ "$kind" = http-batch ] && { path=/api/votes/batch; body="$OUT/payloads/batch-100.json"; votes_per_request=100; }
    script=$OUT/post.lua
    if [ -z "$body" ]; then
      grep -v '^wrk\.\|io.open\|f:' "$OUT/post.lua" >"$OUT/get.lua"
      script=$OUT/get.lua body=/dev/null
    fi
    BODY=$body wrk -t2 -c"$conns" -d"${seconds}s" -s "$script" "http://$HOST:$HTTP_PORT$path" >"$OUT/tool.txt"
    read -r _ requests errors p50 p99 < <(grep '^STATS' "$OUT/tool.txt")
    grep "^ERRORS" "$OUT/tool.txt" >&2 || true
    ;;
  grpc-health|grpc-vote|grpc-stream)
    case $kind in
      grpc-health) path=/grpc.health.v1.Health/Check; body="$OUT/payloads/health.grpc" ;;
      grpc-vote) path=/ovation.v1.VoteService/Cast; body="$OUT/payloads/vote.grpc" ;;
      grpc-stream) path=/ovation.v1.VoteService/CastStream; body="$OUT/payloads/stream-1000.grpc"; votes_per_request=1000 ;;
    esac
    rm -f "$OUT/h2load.log"
    h2load -t2 -c"$conns" -m1 -D "$seconds" --log-file="$OUT/h2load.log" -d "$body" \
      -H 'content-type: application/grpc' -H 'te: trailers' "http://$HOST:$GRPC_PORT$path" >"$OUT/tool.txt"
    read -r requests errors p50 p99 < <(python3 - "$OUT/h2load.log" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
ok = sorted(int(r[2]) for r in rows if r[1] == "200")
def pct(p):
    return ok[min(len(ok) - 1, int(len(ok) * p / 100))] / 1000 if ok else float("nan")
print(len(rows), len(rows) - len(ok), f"{pct(50):.3f}", f"{pct(99):.3f}")
PY
)
    # A gRPC error also comes with HTTP 200 (and grpc-status in the trailers) but carries no
    # message: the DATA bytes per call tell a reader whether the calls were answered with receipts.
    data=$(sed -n 's/.*traffic:.* \([0-9]*\) bytes data.*/\1/p; s/.*traffic:.*data \([0-9.]*[KMG]\?B\)* (\([0-9]*\)).*/\2/p' "$OUT/tool.txt" | head -1)
    echo "h2load: $(grep -E '^requests:|^status codes:|^traffic:' "$OUT/tool.txt" | tr '\n' ' ')" >&2
    ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
after_cpu=$(cpu_ticks)
after_threads=$("$here/ingest-threads.sh" "$pid")
votes=$(( requests * votes_per_request ))
python3 - "$kind" "$seconds" "$requests" "$errors" "$votes" "$p50" "$p99" "$(( after_cpu - before_cpu ))" \
    "$(getconf CLK_TCK)" <<PY
import sys
kind, seconds, requests, errors, votes, p50, p99, ticks, hz = sys.argv[1:]
seconds, requests, votes, ticks, hz = float(seconds), int(requests), int(votes), int(ticks), int(hz)
cpu_s = ticks / hz
unit = "votes" if kind not in ("http-get", "http-live", "grpc-health") else "reqs"
print(f"{kind}: {requests / seconds:,.0f} req/s, {votes / seconds:,.0f} {unit}/s, p50 {float(p50):.2f} ms, "
      f"p99 {float(p99):.2f} ms, errors {errors}, CPU {cpu_s / seconds:.2f} cores, "
      f"{cpu_s * 1e6 / max(votes, 1):.1f} us/{unit[:-1]}")
before = {l.split('\t')[2]: int(l.split('\t')[0]) for l in """$before_threads""".splitlines()}
after = {l.split('\t')[2]: int(l.split('\t')[0]) for l in """$after_threads""".splitlines()}
delta = sorted(((after[n] - before.get(n, 0), n) for n in after), reverse=True)
print("  CPU by thread group (share of the process):",
      ", ".join(f"{n} {d * 100 / max(ticks, 1):.0f}%" for d, n in delta[:9] if d > 0))
PY
