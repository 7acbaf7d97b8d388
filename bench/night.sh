#!/usr/bin/env bash
# A contest night in one Ovation standalone: on this machine, in one run,
#   1. starts ./ovation standalone in a scratch data directory, with a contest (id $CONTEST) over a
#      generated catalog of BANDS x ALBUMS, open until a day after the run, no per-voter limit;
#   2. sends VOTES votes with the load generator (http-batch, open model at RATE votes/s, VOTERS
#      distinct voters, a DUPLICATES share of sends resending an acknowledged vote with its id);
#   3. meanwhile, every SAMPLE_SECONDS, samples into a JSON lines file: votes counted (total plus
#      duplicates plus rejected, from the results API), acknowledged, the counters' consumer lag (end
#      offsets minus the group's committed offsets, bench/night-lag.java), the JVM heap after its last
#      garbage collection (from its -Xlog:gc log), resident memory of the JVM and of its redis-server
#      child, Redis used_memory, and PROBES timings each of GET /logs?limit=20 and GET /results;
#   4. once sending ends, waits until every acknowledged vote is counted (DRAIN_SECONDS at most) and
#      checks the counts exactly: total + rejected = distinct votes acknowledged, duplicates = resends;
#   5. stops the standalone (SIGTERM), starts it again on the same data, and measures the time to
#      ready, the first /logs?limit=20 (it must show the same latest votes as before the stop) and
#      that the results are unchanged; then runs ./ovation recount on the contest;
#   6. writes bench/results/night-<date>-<host>.json (every sample and the summary), .svg (memory,
#      rates, lag and latencies over time) and .md (the summary table, printed too).
# Usage: bench/night.sh                          (10,000,000 votes: about 10 minutes at 40,000 votes/s
#                                                 plus the restart and the recount; nothing else should run)
#        VOTES=300000 RATE=3000 bench/night.sh    (a short trial)
# Knobs (environment): VOTES (10000000), RATE (40000), VOTERS (1000000), DUPLICATES (0.01), BANDS (40),
#   PROTOCOL (http-batch, or any of the load generator's), VOTES_PER_VOTER (0: no limit; votes past it are
#   rejected and must be counted as such), HOSTILE_RATE (0: hostile requests per second from the committed
#   corpus ovation-ingest/src/test/resources/hostile/bodies.txt, each of which must get a 4xx), LABEL (night:
#   the results' file names; bench/soak.sh uses soak),
#   ALBUMS (8), SKEW (1.0), BATCH_SIZE (100), CONTEST (night), SAMPLE_SECONDS (5), PROBES (3),
#   DRAIN_SECONDS (900), READY_SECONDS (600), RECOUNT_SECONDS (1800), LOADGEN_JAVA_OPTS,
#   OVATION_JAVA_OPTS (-XX:+UseG1GC -Xmx1g, as ./ovation), RESULTS_DIR (bench/results), OVATION_JAR (a jar to measure instead of
#   building ovation-launcher/target/ovation.jar), and the ports HTTP_PORT, GRPC_PORT, RESULTS_PORT,
#   KAFKA_PORT, REDIS_PORT, MONGO_PORT (Ovation's defaults).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
VOTES=${VOTES:-10000000}
RATE=${RATE:-40000}
VOTERS=${VOTERS:-1000000}
DUPLICATES=${DUPLICATES:-0.01}
BANDS=${BANDS:-40} ALBUMS=${ALBUMS:-8} SKEW=${SKEW:-1.0}
BATCH_SIZE=${BATCH_SIZE:-100}
CONTEST=${CONTEST:-night}
PROTOCOL=${PROTOCOL:-http-batch}
VOTES_PER_VOTER=${VOTES_PER_VOTER:-0}
HOSTILE_RATE=${HOSTILE_RATE:-0}
LABEL=${LABEL:-night}
export PROTOCOL VOTES_PER_VOTER HOSTILE_RATE
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5}
PROBES=${PROBES:-3}
DRAIN_SECONDS=${DRAIN_SECONDS:-900}
READY_SECONDS=${READY_SECONDS:-600}
RECOUNT_SECONDS=${RECOUNT_SECONDS:-1800}
RESULTS_DIR=${RESULTS_DIR:-bench/results}
# As in bench/run.sh: C1 and the serial collector keep the generator's share of a small machine low.
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m"}
OVATION_JAVA_OPTS=${OVATION_JAVA_OPTS:-"-XX:+UseG1GC -Xmx1g"}
HTTP_PORT=${HTTP_PORT:-8080} GRPC_PORT=${GRPC_PORT:-50051} RESULTS_PORT=${RESULTS_PORT:-8088}
KAFKA_PORT=${KAFKA_PORT:-19092} REDIS_PORT=${REDIS_PORT:-16379} MONGO_PORT=${MONGO_PORT:-27027}
PORTS="$HTTP_PORT $GRPC_PORT $RESULTS_PORT $KAFKA_PORT $REDIS_PORT $MONGO_PORT"

started=$(date +%s)
say() { printf '[night %5ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

[[ "$VOTES" =~ ^[1-9][0-9]*$ ]] || fail "VOTES must be a whole number above 0, not '$VOTES'"
[[ "$RATE" =~ ^[1-9][0-9]*$ ]] || fail "RATE must be a whole number of votes/s above 0, not '$RATE'"
[[ "$SAMPLE_SECONDS" =~ ^[1-9][0-9]*$ ]] || fail "SAMPLE_SECONDS must be a whole number above 0"
[[ "$PROBES" =~ ^[1-9][0-9]*$ ]] || fail "PROBES must be a whole number above 0"
for port in $PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use; stop whatever listens there (another ./ovation standalone?) or choose other ports"
  fi
done
command -v python3 >/dev/null || fail "python3 is needed to sample and to write the reports"
command -v curl >/dev/null || fail "curl is needed to time the results API"

if [ -z "${OVATION_JAR:-}" ]; then
  say "building the launcher jar if needed..."
  ./ovation --version >/dev/null
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ovation-night.XXXXXX")
# Every process of the run uses this copy, so that a rebuild of the working tree's jar in the
# middle of the run (./ovation rebuilds when a source is newer) cannot change what is measured.
jar="$work/ovation.jar"
cp "${OVATION_JAR:-$root/ovation-launcher/target/ovation.jar}" "$jar"
data="$work/data"
results_api="http://127.0.0.1:$RESULTS_PORT/api/contests/$CONTEST"
standalone_pid="" loadgen_pid="" lag_pid=""
stop() {  # pid -> stops that process (SIGTERM) and waits for it
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$loadgen_pid"; stop "$lag_pid"
  if [ -n "$standalone_pid" ] && kill -0 "$standalone_pid" 2>/dev/null; then
    say "stopping standalone..."
    stop "$standalone_pid"
  fi
}
trap cleanup EXIT

# The contest: a generated catalog (band k has albums 1..ALBUMS), open from now until a day after.
python3 - "$work/contests.json" "$CONTEST" "$BANDS" "$ALBUMS" "$VOTES_PER_VOTER" <<'PY'
import datetime, json, sys
out, contest, bands, albums, per_voter = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
closes = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
catalog = {"Band %03d" % b: ["Album %03d-%d" % (b, a) for a in range(1, albums + 1)] for b in range(1, bands + 1)}
json.dump({"contests": [{"id": contest, "title": "Contest night: %d bands, %d albums each" % (bands, albums),
                         "closesAt": closes.strftime("%Y-%m-%dT%H:%M:%SZ"), "catalog": catalog,
                         "votesPerVoter": per_voter}]}, open(out, "w"), indent=1)
PY

start_standalone() {  # run number -> starts the standalone on $data, waits until ready; sets standalone_pid
  local n=$1 t0 line
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  java $OVATION_JAVA_OPTS -Xlog:gc:file="$work/standalone-$n-gc.log" -jar "$jar" standalone --data-dir "$data" \
    --contests "$work/contests.json" --http-port "$HTTP_PORT" --grpc-port "$GRPC_PORT" --results-port "$RESULTS_PORT" \
    --kafka-port "$KAFKA_PORT" --redis-port "$REDIS_PORT" --mongo-port "$MONGO_PORT" \
    >"$work/standalone-$n.out" 2>"$work/standalone-$n.log" &
  standalone_pid=$!
  until grep -q "Ovation is running" "$work/standalone-$n.out" 2>/dev/null; do
    kill -0 "$standalone_pid" 2>/dev/null || fail "standalone exited; see $work/standalone-$n.log"
    [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$READY_SECONDS" ] \
      || fail "standalone not ready after $READY_SECONDS s; see $work/standalone-$n.log"
    sleep 0.1
  done
  echo "$(( ($(date +%s%N) - t0) / 1000000 ))" >"$work/ready-$n.ms"
  line=$(grep -m1 "Ovation is running" "$work/standalone-$n.out")
  say "$line, $(cat "$work/ready-$n.ms") ms after the java command"
}

# One sample: PROBES timings of each endpoint, then everything else read by the sampler below, which
# appends a JSON line to $work/samples.jsonl and prints the progress line.
cat >"$work/sample.py" <<'PY'
import glob, json, os, re, socket, sys, time
(work, phase, elapsed, pid, gc_log, redis_port, probes_logs, probes_results, clock) = sys.argv[1:10]
elapsed, pid = int(elapsed) / 1000, int(pid)

def probes(text):  # "200:0.003 200:0.004" -> latencies in ms of the answered ones, and the failures
    ok, failed = [], 0
    for p in text.split():
        code, seconds = p.rsplit(":", 1)
        if code == "200":
            ok.append(round(float(seconds) * 1000, 2))
        else:
            failed += 1
    return ok, failed

def rss_mib(p):
    try:
        for line in open("/proc/%d/status" % p):
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None

def pss_mib(p):  # proportional set size: with ZGC on JDK 17, VmRSS counts the heap three times (multi-mapping)
    try:
        for line in open("/proc/%d/smaps_rollup" % p):
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None

def redis_child(parent):  # the redis-server the standalone started, as pgrep -P would find it
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = open(stat).read()
        except OSError:
            continue
        comm = fields[fields.index("(") + 1:fields.rindex(")")]
        ppid = int(fields[fields.rindex(")") + 2:].split()[1])
        if ppid == parent and "redis" in comm:
            return int(stat.split("/")[2])
    return None

def redis_memory(port):  # INFO memory over RESP, no client library needed
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=5) as s:
            s.sendall(b"*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n")
            data = b""
            while b"\r\n" not in data:
                data += s.recv(65536)
            header, rest = data.split(b"\r\n", 1)
            size = int(header[1:])
            while len(rest) < size:
                chunk = s.recv(65536)
                if not chunk:
                    break
                rest += chunk
        info = dict(l.split(":", 1) for l in rest[:size].decode().splitlines() if ":" in l)
        return int(info["used_memory"]), int(info["used_memory_rss"])
    except (OSError, ValueError, KeyError):
        return None, None

def heap_after_gc(path):  # the latest collection's heap after GC, and how many collections ran
    after, percent, cycles = None, None, 0
    try:
        for line in open(path):
            # ZGC: "Garbage Collection (Allocation Rate) 812M(10%)->204M(3%)"; G1/serial: "Pause Young ... 24M->3M(256M)"
            m = re.search(r"(?:Garbage Collection|Pause) .*?\d+M(?:\(\d+%\))?->(\d+)M(?:\((\d+)%\))?", line)
            if m:
                after, percent, cycles = int(m.group(1)), int(m.group(2)) if m.group(2) else None, cycles + 1
    except OSError:
        pass
    return after, percent, cycles

def acknowledged():  # the load generator's acknowledged votes: its report once it ended, else its live line
    try:
        c = json.load(open(os.path.join(work, "loadgen.json")))["counts"]
        return c["acknowledged"], c["sent"]
    except (OSError, ValueError, KeyError):
        pass
    try:
        with open(os.path.join(work, "loadgen.err"), "rb") as f:
            f.seek(max(0, os.path.getsize(f.name) - 8192))
            tail = f.read().decode(errors="replace")
        m = re.findall(r"sent ([\d,]+)\s+acked ([\d,]+)", tail)
        if m:
            return int(m[-1][1].replace(",", "")), int(m[-1][0].replace(",", ""))
    except OSError:
        pass
    return 0, 0

def consumer_lag():
    try:
        lines = open(os.path.join(work, "lag.txt")).read().split("\n")
        last = [l for l in lines if l.strip()][-1].split()
        return int(last[1]), round(time.time() - int(last[0]) / 1000, 1)
    except (OSError, IndexError, ValueError):
        return None, None

logs_ms, logs_failed = probes(probes_logs)
results_ms, results_failed = probes(probes_results)
total = duplicates = rejected = counted = None
try:
    r = json.load(open(os.path.join(work, "results-now.json")))
    total, duplicates = r["total"], r["duplicates"]
    rejected = sum(r["rejected"].values()) if isinstance(r["rejected"], dict) else int(r["rejected"] or 0)
    counted = total + duplicates + rejected
except (OSError, ValueError, KeyError, TypeError):
    pass
acked, sent = acknowledged()
lag, lag_age = consumer_lag()
heap, heap_percent, gc_cycles = heap_after_gc(gc_log)
redis_pid = redis_child(pid)
used, used_rss = redis_memory(redis_port)
sample = {"t": round(elapsed, 1), "phase": phase, "sent": sent, "acknowledged": acked, "counted": counted,
          "total": total, "duplicates": duplicates, "rejected": rejected,
          "backlog": acked - counted if counted is not None else None, "consumerLag": lag, "lagAgeSeconds": lag_age,
          "heapAfterGcMiB": heap, "heapAfterGcPercent": heap_percent, "gcCycles": gc_cycles,
          "rssJvmMiB": rss_mib(pid), "pssJvmMiB": pss_mib(pid), "rssRedisMiB": rss_mib(redis_pid) if redis_pid else None,
          "redisUsedMemory": used, "redisUsedMemoryRss": used_rss,
          "logsMs": logs_ms, "resultsMs": results_ms, "probeFailures": logs_failed + results_failed}
samples = os.path.join(work, "samples.jsonl")
previous = None
if os.path.exists(samples):
    with open(samples) as f:
        for line in f:
            previous = json.loads(line)
rate = None
if previous and counted is not None and previous["counted"] is not None and elapsed > previous["t"]:
    rate = (counted - previous["counted"]) / (elapsed - previous["t"])
    sample["countedPerSecond"] = round(rate, 1)
    sample["acknowledgedPerSecond"] = round((acked - previous["acknowledged"]) / (elapsed - previous["t"]), 1)
with open(samples, "a") as f:
    f.write(json.dumps(sample) + "\n")

def n(v, fmt="{:,}"):
    return "-" if v is None else fmt.format(v)
def ms(v):
    return "/".join("%.1f" % x for x in sorted(v)) if v else "-"
print("[night %5ss] t+%.0fs %-9s counted %s (%s/s) acked %s lag %s | heap %sM RSS %sM (PSS %sM) redis %sM (used %sM) | "
      "logs %s ms results %s ms%s" % (
          clock, elapsed, phase, n(counted), n(rate, "{:,.0f}"), n(acked), n(lag), n(heap), n(sample["rssJvmMiB"], "{:,.0f}"), n(sample["pssJvmMiB"], "{:,.0f}"),
          n(sample["rssRedisMiB"], "{:,.0f}"), n(used and round(used / 2**20), "{:,}"), ms(logs_ms), ms(results_ms),
          " (%d probes failed)" % sample["probeFailures"] if sample["probeFailures"] else ""), file=sys.stderr)
print(counted if counted is not None else -1, acked)
PY

probe() {  # url -> "<status>:<seconds>", status 000 when unanswered (body kept in $work/probe.body)
  local timing
  timing=$(curl -s -o "$work/probe.body" -w '%{http_code}:%{time_total}' --max-time 10 "$1") || true
  echo "${timing:-000:0}"
}
sample() {  # phase -> appends one sample; prints "counted acknowledged"
  local phase=$1 logs="" res="" p i
  for i in $(seq 1 "$PROBES"); do
    p=$(probe "$results_api/results"); res+=" $p"
    [ "${p%%:*}" = 200 ] && cp "$work/probe.body" "$work/results-now.json"
    logs+=" $(probe "$results_api/logs?limit=20")"
  done
  python3 "$work/sample.py" "$work" "$phase" "$(( ($(date +%s%N) - night_t0) / 1000000 ))" "$standalone_pid" \
    "$work/standalone-$run_no-gc.log" "$REDIS_PORT" "$logs" "$res" "$(( $(date +%s) - started ))"
}

say "starting ./ovation standalone (data and logs in $work)..."
run_no=1
start_standalone 1
curl -sf "$results_api/results" >"$work/results-start.json" || fail "the contest $CONTEST was not created; see $work/standalone-1.log"

# shellcheck disable=SC2086
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -cp "$jar" "$root/bench/night-lag.java" \
  "127.0.0.1:$KAFKA_PORT" "${OVATION_COUNTER_GROUP:-ovation-counter}" "${OVATION_TOPIC:-votes}" \
  "$(( SAMPLE_SECONDS * 1000 ))" "$work/lag.txt" >"$work/lag.out" 2>"$work/lag.log" &
lag_pid=$!

duration_ms=$(( VOTES * 1000 / RATE ))
say "sending $VOTES votes: $PROTOCOL at $RATE votes/s for $(( duration_ms / 1000 )) s, $VOTERS voters, $DUPLICATES resent..."
night_t0=$(date +%s%N)
batch_option=""
[ "$PROTOCOL" = http-batch ] && batch_option="--batch-size $BATCH_SIZE"
if [ "$HOSTILE_RATE" != 0 ]; then
  # hostile requests alongside, round robin over the committed corpus; every answer must be a 4xx
  python3 - "$root/ovation-ingest/src/test/resources/hostile/bodies.txt" "http://127.0.0.1:$HTTP_PORT" "$HOSTILE_RATE" \
    "$(( duration_ms / 1000 ))" "$work/hostile.json" >"$work/hostile.log" 2>&1 <<'PY' &
import base64, json, sys, time, urllib.request, urllib.error
corpus, base, rate, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
bodies = [base64.b64decode(l.split("\t", 1)[1]) for l in open(corpus) if l.strip() and not l.startswith("#") and "\t" in l]
counts = {"sent": 0, "answered4xx": 0, "other": 0, "byStatus": {}}
start = time.time(); i = 0
while time.time() - start < seconds:
    body = bodies[i % len(bodies)]; path = ("/api/votes", "/insert", "/api/votes/batch")[i % 3]; i += 1
    request = urllib.request.Request(base + path, data=body, headers={"Content-Type": "application/json"})
    try:
        status = urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception:
        status = 0
    counts["sent"] += 1
    counts["byStatus"][str(status)] = counts["byStatus"].get(str(status), 0) + 1
    counts["answered4xx" if 400 <= status < 500 else "other"] += 1
    time.sleep(max(0.0, start + i / rate - time.time()))
json.dump(counts, open(out, "w"))
PY
  hostile_pid=$!
fi
# shellcheck disable=SC2086
java $LOADGEN_JAVA_OPTS -jar "$jar" loadgen -p "$PROTOCOL" $batch_option --rate "$RATE" --warmup 0s \
  --duration "${duration_ms}ms" --generate --catalog contest --skew "$SKEW" --contest "$CONTEST" --voters "$VOTERS" \
  --duplicates "$DUPLICATES" --no-verify --no-freshness --report "$work/loadgen.json" \
  --ingest-url "http://127.0.0.1:$HTTP_PORT" --grpc-target "127.0.0.1:$GRPC_PORT" \
  --results-url "http://127.0.0.1:$RESULTS_PORT" >"$work/loadgen.out" 2>"$work/loadgen.err" &
loadgen_pid=$!

next=$(( $(date +%s) + SAMPLE_SECONDS ))
while kill -0 "$loadgen_pid" 2>/dev/null; do
  sleep 0.2
  if [ "$(date +%s)" -ge "$next" ]; then
    next=$(( next + SAMPLE_SECONDS ))
    kill -0 "$loadgen_pid" 2>/dev/null && sample send >/dev/null
  fi
done
loadgen_status=0
wait "$loadgen_pid" || loadgen_status=$?
[ -n "${hostile_pid:-}" ] && { wait "$hostile_pid" || true; }
loadgen_pid=""
[ -f "$work/loadgen.json" ] || fail "the load generator wrote no report (exit $loadgen_status); see $work/loadgen.err"
say "sending done (load generator exit $loadgen_status): $(grep -E '^(Sent|Acknowledged|Errors|Rate) ' "$work/loadgen.out" | tr -s ' ' | paste -sd ';')"

say "waiting until every acknowledged vote is counted (at most $DRAIN_SECONDS s)..."
drain_until=$(( $(date +%s) + DRAIN_SECONDS ))
while :; do
  counted=-1 acked=0
  read -r counted acked < <(sample drain) || true
  [ "$counted" -ge "$acked" ] && break
  [ "$(date +%s)" -lt "$drain_until" ] || { say "not every acknowledged vote was counted after $DRAIN_SECONDS s"; break; }
  sleep "$SAMPLE_SECONDS"
done
drained_s=$(( ($(date +%s%N) - night_t0) / 1000000000 ))
sample final >/dev/null
stop "$lag_pid"; lag_pid=""

say "restarting: SIGTERM, then the same data directory..."
curl -sf "$results_api/logs?limit=20" >"$work/logs-before.json" || fail "could not read /logs before the restart"
curl -sf "$results_api/results" >"$work/results-before.json" || fail "could not read /results before the restart"
redis_before=$(pgrep -P "$standalone_pid" || true)
t0=$(date +%s%N)
stop "$standalone_pid"
echo "$(( ($(date +%s%N) - t0) / 1000000 ))" >"$work/stop.ms"
left=""
for p in $redis_before; do kill -0 "$p" 2>/dev/null && left+=" $p"; done
[ -z "$left" ] || say "WARNING: child process(es)$left of the standalone still run after it stopped"
echo "${left# }" >"$work/children-left.txt"
say "stopped in $(cat "$work/stop.ms") ms"
run_no=2
start_standalone 2
probe "$results_api/logs?limit=20" >"$work/logs-after.timing"; cp "$work/probe.body" "$work/logs-after.json"
probe "$results_api/results" >"$work/results-after.timing"; cp "$work/probe.body" "$work/results-after.json"
say "first /logs?limit=20 after the restart: $(cut -d: -f1 "$work/logs-after.timing"), $(cut -d: -f2 "$work/logs-after.timing") s"
sample restarted >/dev/null

say "recounting contest $CONTEST from the votes topic (at most $RECOUNT_SECONDS s)..."
t0=$(date +%s%N)
recount_status=0
OVATION_KAFKA="127.0.0.1:$KAFKA_PORT" OVATION_REDIS="redis://127.0.0.1:$REDIS_PORT" \
  timeout "$RECOUNT_SECONDS" java -jar "$jar" recount --contest "$CONTEST" >"$work/recount.out" 2>"$work/recount.log" \
  || recount_status=$?
echo "$(( ($(date +%s%N) - t0) / 1000000 ))" >"$work/recount.ms"
say "recount exit $recount_status in $(cat "$work/recount.ms") ms: $(head -1 "$work/recount.out")"
stop "$standalone_pid"; standalone_pid=""

say "writing the results..."
host=$(uname -n)
day=$(date -u +%Y-%m-%d)
mkdir -p "$RESULTS_DIR"
out="$(cd "$RESULTS_DIR" && pwd)/$LABEL-$day-$host"
python3 - "$work" "$out" "$recount_status" "$loadgen_status" "$drained_s" "$LOADGEN_JAVA_OPTS" "$OVATION_JAVA_OPTS" \
  "$(( $(date +%s) - started ))" "$VOTES $RATE $VOTERS $DUPLICATES $BANDS $ALBUMS $SKEW $BATCH_SIZE $SAMPLE_SECONDS $PROBES $CONTEST" <<'PY'
import datetime, json, os, platform, re, subprocess, sys
work, out, recount_status, loadgen_status, drained_s, lg_opts, ov_opts, elapsed, knobs = sys.argv[1:10]
votes, rate, voters, dups, bands, albums, skew, batch, every, probes, contest = knobs.split()

def read(name):
    return open(os.path.join(work, name)).read()
def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
def pct(values, q):  # nearest rank
    v = sorted(values)
    return v[min(len(v) - 1, max(0, -(-len(v) * q // 100) - 1))] if v else None
def peak(key, rows):
    vals = [s[key] for s in rows if s.get(key) is not None]
    return max(vals) if vals else None
def last(key, rows):
    vals = [s[key] for s in rows if s.get(key) is not None]
    return vals[-1] if vals else None

samples = [json.loads(l) for l in read("samples.jsonl").splitlines() if l.strip()]
night = [s for s in samples if s["phase"] in ("send", "drain", "final")]
restarted = next((s for s in samples if s["phase"] == "restarted"), None)
lg = json.load(open(os.path.join(work, "loadgen.json")))
c = lg["counts"]
start = json.loads(read("results-start.json"))
before, after = json.loads(read("results-before.json")), json.loads(read("results-after.json"))
logs_before, logs_after = json.loads(read("logs-before.json")), json.loads(read("logs-after.json"))
def rejected(r):
    return sum(r["rejected"].values()) if isinstance(r["rejected"], dict) else int(r["rejected"] or 0)
distinct = c["acknowledged"] - c["acknowledgedResends"]
counted_new = before["total"] - start["total"] + rejected(before) - rejected(start)
absorbed = before["duplicates"] - start["duplicates"]
exact = counted_new == distinct and absorbed == c["acknowledgedResends"]
redis_start = next((s["redisUsedMemory"] for s in night if s.get("redisUsedMemory")), None)
final = night[-1]
redis_growth = final["redisUsedMemory"] - redis_start if final.get("redisUsedMemory") and redis_start else None
logs_ms = [v for s in night for v in s["logsMs"]]
results_ms = [v for s in night for v in s["resultsMs"]]
ready = [int(read("ready-%d.ms" % n)) for n in (1, 2)]
ready_said = [float(m.group(1)) if m else None for m in
              (re.search(r"ready in ([\d.]+) s", read("standalone-%d.out" % n)) for n in (1, 2))]
code, seconds = read("logs-after.timing").split(":")
entries = lambda page: [e.get("id") for e in page.get("entries", [])]
logs_same = code == "200" and entries(logs_after) == entries(logs_before) and len(entries(logs_before)) > 0
keys = ("total", "duplicates", "rejected", "bands")
totals_same = all(before.get(k) == after.get(k) for k in keys)
send_rows = [s for s in night if s["phase"] == "send" and s.get("countedPerSecond") is not None]
cpuinfo = open("/proc/cpuinfo").read()
model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
mem_kb = int(re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read()).group(1))
machine = {"host": platform.node(), "cpus": os.cpu_count(), "cpuModel": model.group(1) if model else "unknown",
           "memoryGiB": round(mem_kb / 1024 / 1024, 1), "kernel": platform.release(),
           "java": sh("java -version 2>&1 | head -1")}
summary = {
    "votesSent": c["sent"], "resendsSent": c["sentResends"], "acknowledged": c["acknowledged"],
    "acknowledgedResends": c["acknowledgedResends"], "errors": c["errors"], "notSent": lg["notSent"],
    "loadgenExit": int(loadgen_status), "achievedRate": round(lg["achievedRate"], 1),
    "ackLatencyMs": lg["latency"],
    "counted": {"total": before["total"] - start["total"], "rejected": rejected(before) - rejected(start),
                "duplicates": absorbed, "exact": exact,
                "message": "every acknowledged vote counted exactly once, every resend absorbed as a duplicate" if exact
                else "MISMATCH: %d counted or rejected for %d distinct acknowledged, %d duplicates for %d resends"
                     % (counted_new, distinct, absorbed, c["acknowledgedResends"])},
    "allCountedAfterSeconds": int(drained_s),
    "countedPerSecondWhileSending": {"median": pct([s["countedPerSecond"] for s in send_rows], 50),
                                     "max": peak("countedPerSecond", send_rows)},
    "peakConsumerLag": peak("consumerLag", night), "peakBacklog": peak("backlog", night),
    "heapAfterGcMiB": {"peak": peak("heapAfterGcMiB", night), "final": final.get("heapAfterGcMiB"),
                       "afterRestart": restarted and restarted.get("heapAfterGcMiB")},
    "rssJvmMiB": {"peak": peak("rssJvmMiB", night), "final": final.get("rssJvmMiB"),
                  "afterRestart": restarted and restarted.get("rssJvmMiB")},
    "pssJvmMiB": {"peak": peak("pssJvmMiB", night), "final": final.get("pssJvmMiB"),
                  "afterRestart": restarted and restarted.get("pssJvmMiB")},
    "rssRedisMiB": {"peak": peak("rssRedisMiB", night), "final": final.get("rssRedisMiB"),
                    "afterRestart": restarted and restarted.get("rssRedisMiB")},
    "redisUsedMemory": {"atStart": redis_start, "peak": peak("redisUsedMemory", night),
                        "final": final.get("redisUsedMemory"), "afterRestart": restarted and restarted.get("redisUsedMemory")},
    "redisBytesPerVote": round(redis_growth / c["acknowledged"], 1) if redis_growth and c["acknowledged"] else None,
    "logsLatencyMs": {"probes": len(logs_ms), "p50": pct(logs_ms, 50), "p99": pct(logs_ms, 99), "max": peak("x", [{"x": v} for v in logs_ms])},
    "resultsLatencyMs": {"probes": len(results_ms), "p50": pct(results_ms, 50), "p99": pct(results_ms, 99), "max": peak("x", [{"x": v} for v in results_ms])},
    "probeFailures": sum(s["probeFailures"] for s in night),
    "restart": {"stopMs": int(read("stop.ms")), "childrenLeftRunning": read("children-left.txt").split(),
                "firstStartReadyMs": ready[0], "readyMs": ready[1], "readySaidSeconds": ready_said[1],
                "firstLogsStatus": int(code), "firstLogsMs": round(float(seconds) * 1000, 1),
                "firstLogsShowLatestVotes": logs_same, "totalsUnchanged": totals_same},
    "recount": {"exit": int(recount_status), "ms": int(read("recount.ms")),
                "output": read("recount.out").strip().splitlines()[:40],
                "errors": read("recount.log").strip().splitlines()[-10:]},
}
result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": machine,
          "settings": {"votes": int(votes), "rate": int(rate), "voters": int(voters), "duplicates": float(dups),
                       "catalog": "%sx%s" % (bands, albums), "skew": float(skew), "batchSize": int(batch),
                       "protocol": os.environ.get("PROTOCOL", "http-batch"), "contest": contest,
                       "votesPerVoter": int(os.environ.get("VOTES_PER_VOTER", "0")),
                       "hostileRate": float(os.environ.get("HOSTILE_RATE", "0")), "sampleSeconds": int(every), "probes": int(probes),
                       "loadgenJavaOpts": lg_opts, "ovationJavaOpts": ov_opts},
          "nightSeconds": int(elapsed), "summary": summary, "samples": samples}
if os.path.exists(os.path.join(work, "hostile.json")):
    result["summary"]["hostile"] = json.load(open(os.path.join(work, "hostile.json")))
json.dump(result, open(out + ".json", "w"), indent=1)

# The chart: four panels over the run's time, in the manner of the load generator's SvgChart.
W, H, L, R, T, B = 880, 310, 70, 20, 50, 46
def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
def nice(rough):
    if not rough > 0:
        return 1
    import math
    mag = 10 ** math.floor(math.log10(rough)); r = rough / mag
    return (1 if r <= 1 else 2 if r <= 2 else 5 if r <= 5 else 10) * mag
def num(v):
    return "{:,}".format(int(v)) if v == int(v) else ("%g" % v)
def panel(top, title, xlabel, ylabel, series, log=False, shade=None):
    import math
    pts = [(x, y) for _, _, ps in series for x, y in ps if y is not None and (y > 0 or not log)]
    svg = ['<g transform="translate(0 %d)">' % top,
           '<text x="%d" y="20" font-size="15" font-weight="bold">%s</text>' % (L, esc(title))]
    if not pts:
        return svg + ['<text x="%d" y="%d">no data</text></g>' % (L, H // 2)]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    x1 = x1 if x1 > x0 else x0 + 1
    if log:
        y0 = 10 ** math.floor(math.log10(y0)); y1 = 10 ** math.ceil(math.log10(y1)); y1 = y1 if y1 > y0 else y0 * 10
        ticks, v = [], y0
        while v <= y1 * 1.0001:
            ticks.append(v); v *= 10
    else:
        y0 = min(0, y0); step = nice((y1 - y0) / 5)
        y0, y1 = math.floor(y0 / step) * step, max(step, math.ceil(y1 / step) * step)
        ticks = [y0 + i * step for i in range(int(round((y1 - y0) / step)) + 1)]
    sx = lambda x: L + (x - x0) / (x1 - x0) * (W - R - L)
    sy = lambda y: (H - B) + ((math.log10(y) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)) if log
                              else (y - y0) / (y1 - y0)) * (T - (H - B))
    if shade and shade[1] > shade[0]:
        a, b = sx(max(x0, shade[0])), sx(min(x1, shade[1]))
        svg.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#eee"/><text x="%.1f" y="%d" fill="#888" '
                   'text-anchor="end">%s</text>' % (a, T, max(0, b - a), H - B - T, b - 4, T + 14, esc(shade[2])))
    for v in ticks:
        svg.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>'
                   % (L, W - R, sy(v), sy(v), L - 6, sy(v) + 4, esc(num(v))))
    step = nice((x1 - x0) / 8); v = math.ceil(x0 / step) * step
    while v <= x1 + step / 1000:
        svg.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                   % (sx(v), sx(v), T, H - B, sx(v), H - B + 16, esc(num(v)))); v += step
    svg.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>' % (L, T, W - L - R, H - T - B))
    svg.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % ((L + W - R) // 2, H - 8, esc(xlabel)))
    svg.append('<text x="14" y="%d" text-anchor="middle" transform="rotate(-90 14 %d)">%s</text>'
               % ((T + H - B) // 2, (T + H - B) // 2, esc(ylabel)))
    lx = L
    for name, color, _ in series:
        svg.append('<text x="%d" y="38" fill="%s">━ %s</text>' % (lx, color, esc(name)))
        lx += 14 + 7 * len(name) + 14
    for _, color, ps in series:
        d = " ".join(("M" if i == 0 else "L") + "%.1f %.1f" % (sx(x), sy(max(y0, y)))
                     for i, (x, y) in enumerate(p for p in ps if p[1] is not None and (p[1] > 0 or not log)))
        svg.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.8"/>' % (d, color))
    return svg + ["</g>"]

def line(key, scale=1.0, rows=night):
    return [(s["t"], s[key] * scale if s.get(key) is not None else None) for s in rows]
def median(v):
    return pct(v, 50) if v else None
send_end = max((s["t"] for s in night if s["phase"] == "send"), default=0)
draining = (send_end, night[-1]["t"] if night else 0, "all sent")
x = "seconds since the first vote"
panels = [
    ("Memory (ZGC on JDK 17: VmRSS counts the heap three times; PSS does not)" if "ZGC" in result["settings"]["ovationJavaOpts"]
     else "Memory", "MiB (log)",
     [("heap after GC", "#1f77b4", line("heapAfterGcMiB")), ("JVM VmRSS", "#ffbb78", line("rssJvmMiB")),
      ("JVM PSS", "#ff7f0e", line("pssJvmMiB")), ("redis-server RSS", "#d62728", line("rssRedisMiB")),
      ("Redis used_memory", "#2ca02c", line("redisUsedMemory", 1 / 2**20))], True),
    ("Votes per second", "votes/s", [("acknowledged", "#888888", line("acknowledgedPerSecond")),
                                     ("counted", "#1f77b4", line("countedPerSecond"))], False),
    ("Consumer lag: votes in Kafka not yet counted", "votes", [("end offsets − counters' committed offsets", "#d62728",
                                                                 line("consumerLag"))], False),
    ("Results API latency, median and max of %s requests per sample" % probes, "ms (log)",
     [("/logs?limit=20 median", "#1f77b4", [(s["t"], median(s["logsMs"])) for s in night]),
      ("/logs max", "#aec7e8", [(s["t"], max(s["logsMs"]) if s["logsMs"] else None) for s in night]),
      ("/results median", "#d62728", [(s["t"], median(s["resultsMs"])) for s in night]),
      ("/results max", "#ff9896", [(s["t"], max(s["resultsMs"]) if s["resultsMs"] else None) for s in night])], True),
]
svg = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" '
       'font-size="12">' % (W, H * len(panels), W, H * len(panels)), '<rect width="100%" height="100%" fill="white"/>']
for i, (title, ylabel, series, log) in enumerate(panels):
    svg += panel(i * H, title, x, ylabel, series, log, draining)
open(out + ".svg", "w").write("\n".join(svg + ["</svg>"]) + "\n")

s = summary
def mib(v):
    return "–" if v is None else "{:,.0f} MiB".format(v)
def fmt(v, f="{:,}"):
    return "–" if v is None else f.format(v)
rs = s["restart"]
rows = [
    ("votes sent / acknowledged / errors", "%s / %s / %s (not sent: %s)" % (fmt(s["votesSent"]), fmt(s["acknowledged"]),
                                                                          fmt(sum(s["errors"].values())), fmt(s["notSent"]))),
    ("rate asked / acknowledged", "%s / %s votes/s (ack p50 %.1f ms, p99 %.1f ms)" % (
        fmt(int(rate)), fmt(s["achievedRate"], "{:,.0f}"), s["ackLatencyMs"]["p50"], s["ackLatencyMs"]["p99"])),
    ("counted while sending, median / max", "%s / %s votes/s" % (fmt(s["countedPerSecondWhileSending"]["median"], "{:,.0f}"),
                                                                fmt(s["countedPerSecondWhileSending"]["max"], "{:,.0f}"))),
    ("counts", "%s; all counted %s s after the first vote" % (s["counted"]["message"], s["allCountedAfterSeconds"])),
    ("peak consumer lag / acknowledged − counted", "%s / %s votes" % (fmt(s["peakConsumerLag"]), fmt(s["peakBacklog"]))),
    ("heap after GC, peak / final / after restart", " / ".join(mib(v) for v in s["heapAfterGcMiB"].values())),
    ("JVM RSS, peak / final / after restart", " / ".join(mib(v) for v in s["rssJvmMiB"].values())),
    ("JVM PSS, peak / final / after restart", " / ".join(mib(v) for v in s["pssJvmMiB"].values())),
    ("redis-server RSS, peak / final / after restart", " / ".join(mib(v) for v in s["rssRedisMiB"].values())),
    ("Redis used_memory, start / final; per vote", "%s / %s; %s bytes per acknowledged vote" % (
        mib(s["redisUsedMemory"]["atStart"] and s["redisUsedMemory"]["atStart"] / 2**20),
        mib(s["redisUsedMemory"]["final"] and s["redisUsedMemory"]["final"] / 2**20), fmt(s["redisBytesPerVote"], "{:,.0f}"))),
    ("GET /logs?limit=20, p50 / p99 / max", "%s / %s / %s ms (%d probes)" % (
        s["logsLatencyMs"]["p50"], s["logsLatencyMs"]["p99"], s["logsLatencyMs"]["max"], s["logsLatencyMs"]["probes"])),
    ("GET /results, p50 / p99 / max", "%s / %s / %s ms (%d probes)" % (
        s["resultsLatencyMs"]["p50"], s["resultsLatencyMs"]["p99"], s["resultsLatencyMs"]["max"], s["resultsLatencyMs"]["probes"])),
    ("restart: stop / ready", "%s ms / %s ms (says %s s; first start %s ms)%s" % (
        fmt(rs["stopMs"]), fmt(rs["readyMs"]), rs["readySaidSeconds"], fmt(rs["firstStartReadyMs"]),
        "; children left running: " + " ".join(rs["childrenLeftRunning"]) if rs["childrenLeftRunning"] else "")),
    ("first /logs?limit=20 after restart", "%s ms, HTTP %d, %s" % (rs["firstLogsMs"], rs["firstLogsStatus"],
        "the latest votes as before the stop" if rs["firstLogsShowLatestVotes"] else "NOT the latest votes of before the stop")),
    ("results after restart", "unchanged" if rs["totalsUnchanged"] else "CHANGED"),
    ("recount", "exit %d in %s ms: %s" % (s["recount"]["exit"], fmt(s["recount"]["ms"]),
                                         (s["recount"]["output"] or s["recount"]["errors"] or ["(no output)"])[0])),
]
if "hostile" in s:
    h = s["hostile"]
    rows.append(("hostile requests (committed corpus)", "%s sent, %s answered 4xx, %s otherwise %s" % (
        fmt(h["sent"]), fmt(h["answered4xx"]), fmt(h["other"]), h["byStatus"])))
table = "| | |\n|---|---|\n" + "\n".join("| %s | %s |" % (k, v.replace("|", "\\|")) for k, v in rows)
md = ("# Ovation contest night, %s\n\nMachine: %s, %d CPUs (%s), %.1f GiB, %s.\n\n"
      "%s votes over " + os.environ.get("PROTOCOL", "http-batch") + " (batches of %s, for http-batch) at %s votes/s into one fresh standalone (`%s`), catalog of %s bands × %s "
      "albums (Zipf skew %s), %s voters, %s of sends resent with their id; sampled every %s s. Run by `bench/night.sh`; "
      "chart: [%s](%s).\n\n%s\n\nPSS (/proc/PID/smaps_rollup) is the memory a process really holds; VmRSS of a JDK 17 ZGC "
      "process counts its heap three times (mapped at three addresses). Latencies are of `curl` on the same machine, "
      "%s requests of each endpoint per sample.\n") % (
    result["date"], machine["host"], machine["cpus"], machine["cpuModel"], machine["memoryGiB"], machine["java"],
    fmt(int(votes)), batch, fmt(int(rate)), ov_opts, bands, albums, skew, fmt(int(voters)), dups, every,
    os.path.basename(out) + ".svg", os.path.basename(out) + ".svg", table, probes)
open(out + ".md", "w").write(md)
print(table)
PY
say "wrote $RESULTS_DIR/$LABEL-$day-$host.json, .svg and .md (samples and logs in $work); $(( $(date +%s) - started )) s in all"
