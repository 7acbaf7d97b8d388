#!/usr/bin/env python3
"""Attributes JFR execution samples of a standalone Ovation to pipeline stages and turns them into
microseconds of CPU per vote. Input: `jfr print --json --events jdk.ExecutionSample`. Called by
bench/profile.sh, which measures the JVM's and Redis's CPU time over the same window.

Each sample goes to the first stage whose rule matches its thread name and stack (frames from the
leaf to the root). The JVM's measured CPU time is split over the stages in proportion to their
samples: JFR samples Java code only, so the CPU of the garbage collector and the JIT compiler is
spread over the stages in the same proportion (the notes say so)."""
import argparse
import json
import re
from collections import Counter

# (stage, thread-name regex or None, stack markers): a sample goes to the first rule whose thread regex
# matches its thread or one of whose markers starts the class of one of its frames. Order matters.
RULES = [
    ("metrics (recording and /metrics scrapes)", None, ("io.micrometer.", "io.prometheus.", "dev.ovation.web.Metrics",
                                                       "dev.ovation.ingest.IngestMetrics", "dev.ovation.counter.CounterMetrics")),
    ("results reads (results API, contest board)", None, ("dev.ovation.results.",)),
    ("ingest: JSON decoding", None, ("dev.ovation.model.VoteJson", "com.fasterxml.jackson.")),
    ("ingest: validation and contest rules", None, ("dev.ovation.model.VoteValidator", "dev.ovation.model.contest.",
                                                   "dev.ovation.ingest.VoteIntake")),
    ("ingest: publish (encode, producer send)", None, ("org.apache.kafka.clients.producer.KafkaProducer",
                                                        "dev.ovation.ingest.VotePublisher", "dev.ovation.model.VoteEnvelope.encode")),
    ("ingest: producer I/O thread", r"kafka-producer-network-thread", ()),
    ("counter: Redis (script calls, Lettuce)", r"lettuce", ("dev.ovation.store.TallyStore", "dev.ovation.store.TallyLayout",
                                                            "io.lettuce.")),
    ("counter: vote log (MongoDB driver)", None, ("dev.ovation.store.VoteLog", "dev.ovation.store.Log",
                                                  "dev.ovation.store.Bucket", "com.mongodb.")),
    ("vote log server (MongoDB-wire, H2)", r"mongo-server|H2-|MVStore", ("de.bwaldvogel.", "org.h2.")),
    ("counter: consume, decode, loop", r"ovation-counter|kafka-coordinator|consumer_background",
     ("org.apache.kafka.clients.consumer.",)),
    ("Kafka broker", r"kafka|data-plane|broker|controller|raft|ReplicaFetcher|log-cleaner|ExpirationReaper",
     ("kafka.", "org.apache.kafka.storage", "org.apache.kafka.raft", "org.apache.kafka.server", "org.apache.kafka.network",
      "org.apache.kafka.metadata", "org.apache.kafka.coordinator")),
    ("ingest: gRPC server", r"grpc", ("io.grpc.",)),
    ("ingest: HTTP server (Jetty, Javalin)", r"qtp|[Jj]etty|javalin", ("org.eclipse.jetty.", "io.javalin.")),
    ("ingest: acknowledgement executor", r"ovation-ingest-ack", ()),
]


def class_names(frames):
    for frame in frames:
        method = frame.get("method") or {}
        type_ = method.get("type") or {}
        name = (type_.get("name") or "").replace("/", ".")
        yield name + "." + (method.get("name") or "")


def stage_of(thread, frames):
    names = list(class_names(frames))
    for stage, thread_re, markers in RULES:
        if thread_re and re.search(thread_re, thread):
            return stage
        if markers and any(n.startswith(markers) for n in names):
            return stage
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("samples")
    ap.add_argument("--votes", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--jvm-ticks", type=int, required=True)
    ap.add_argument("--redis-ticks", type=int, required=True)
    ap.add_argument("--ticks-per-second", type=int, required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--protocol", required=True)
    ap.add_argument("--rate", type=int, required=True)
    ap.add_argument("--load-report")
    ap.add_argument("--command", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    events = json.load(open(a.samples))["recording"]["events"]
    counts = Counter()
    threads = Counter()
    for e in events:
        v = e["values"]
        thread = ((v.get("sampledThread") or {}).get("javaName")) or ((v.get("sampledThread") or {}).get("osName")) or ""
        frames = ((v.get("stackTrace") or {}).get("frames")) or []
        stage = stage_of(thread, frames)
        counts[stage] += 1
        threads[re.sub(r"[-#]?\d+$", "", thread)] += 1
    total = sum(counts.values()) or 1
    jvm_cpu = a.jvm_ticks / a.ticks_per_second
    redis_cpu = a.redis_ticks / a.ticks_per_second
    votes = max(1, a.votes)
    stages = []
    for stage, n in counts.most_common():
        share = n / total
        stages.append({"stage": stage, "samples": n, "share": round(share, 4),
                       "cpuSeconds": round(share * jvm_cpu, 3), "microsPerVote": round(share * jvm_cpu / votes * 1e6, 2)})
    stages.append({"stage": "Redis server (separate process, measured)", "samples": None, "share": None,
                   "cpuSeconds": round(redis_cpu, 3), "microsPerVote": round(redis_cpu / votes * 1e6, 2)})
    load = None
    if a.load_report:
        try:
            r = json.load(open(a.load_report))
            load = {"achievedRate": r.get("achievedRate"), "p50": r["latency"]["p50"], "p99": r["latency"]["p99"]}
        except (OSError, KeyError, ValueError):
            load = None
    result = {
        "label": a.label, "protocol": a.protocol, "offeredRate": a.rate, "windowSeconds": round(a.seconds, 2),
        "votesCounted": a.votes, "votesPerSecond": round(a.votes / a.seconds),
        "jvmCpuSeconds": round(jvm_cpu, 2), "redisCpuSeconds": round(redis_cpu, 2),
        "cpuCoresUsed": round((jvm_cpu + redis_cpu) / a.seconds, 2),
        "microsPerVoteTotal": round((jvm_cpu + redis_cpu) / votes * 1e6, 2),
        "samples": total, "stages": stages, "threads": dict(threads.most_common(25)), "load": load,
        "command": a.command,
        "notes": "JVM CPU split over stages in proportion to JFR execution samples (GC and JIT CPU included pro rata);"
                 " Redis CPU measured from /proc for its own process.",
    }
    json.dump(result, open(a.out + ".json", "w"), indent=2)
    lines = [f"# CPU per vote by stage: {a.label}", "",
             f"`{a.command}`: {a.protocol} offered at {a.rate} votes/s; {a.votes} votes counted in {a.seconds:.1f} s"
             f" ({a.votes / a.seconds:.0f}/s); JVM {jvm_cpu:.1f} CPU s, Redis {redis_cpu:.1f} CPU s,"
             f" {(jvm_cpu + redis_cpu) / a.seconds:.2f} cores; {result['microsPerVoteTotal']} µs of CPU per vote in all.", "",
             "| stage | share of JVM samples | µs CPU per vote |", "|---|---:|---:|"]
    for s in stages:
        share = "" if s["share"] is None else f"{100 * s['share']:.1f}%"
        lines.append(f"| {s['stage']} | {share} | {s['microsPerVote']} |")
    lines.append(f"| **all** | | **{result['microsPerVoteTotal']}** |")
    open(a.out + ".md", "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
