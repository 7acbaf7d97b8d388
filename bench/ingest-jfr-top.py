#!/usr/bin/env python3
"""Where the CPU samples of a JFR recording went: by thread group, by stage of a vote, and the
hottest frames of each group.

Usage: bench/ingest-jfr-top.py <recording.jfr> [frames per group (8)]

It runs `jfr print --events jdk.ExecutionSample --stack-depth 96` and reads its text. A thread
group is the thread name without digits. A sample's stage is the first of STAGES (searched from the
top of its stack down) whose pattern appears in a frame: the innermost step of a vote's path that
was running.
"""
import collections
import re
import subprocess
import sys

STAGES = [
    ("json decode", re.compile(r"VoteJson\.|ObjectMapper\.readTree|ObjectMapper\._readTreeAndClose|JsonFactory\.createParser")),
    ("json encode (answer)", re.compile(r"dev\.ovation\.web\.Json\.send|ObjectMapper\.writeValueAsBytes")),
    ("validate", re.compile(r"VoteValidator\.")),
    ("contest admission", re.compile(r"VoteAdmission\.")),
    ("envelope encode", re.compile(r"VoteEnvelope\.encode")),
    ("producer.send (caller)", re.compile(r"KafkaProducer\.(send|doSend)")),
    ("producer I/O (sender)", re.compile(r"producer\.internals\.Sender\.")),
    ("future completion", re.compile(r"CompletableFuture\.(postComplete|complete|uniHandle|uniWhenComplete)")),
    ("grpc protobuf parse", re.compile(r"ProtoLiteUtils|\.parseFrom|CodedInputStream")),
    ("grpc call handling", re.compile(r"io\.grpc\.(internal|stub)\.")),
    ("netty I/O", re.compile(r"io\.grpc\.netty\.shaded\.io\.netty\.")),
    ("javalin routing", re.compile(r"io\.javalin\.")),
    ("jetty http/io", re.compile(r"org\.eclipse\.jetty\.")),
    ("kafka broker", re.compile(r"^kafka\.|org\.apache\.kafka\.(storage|server|raft|coordinator|metadata)")),
    ("kafka consumer (counter)", re.compile(r"clients\.consumer\.")),
    ("counter", re.compile(r"dev\.ovation\.counter\.")),
    ("mongo-wire server", re.compile(r"de\.bwaldvogel\.mongo")),
    ("redis client (counter)", re.compile(r"io\.lettuce\.")),
]


def samples(path):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                          check=True, capture_output=True, text=True).stdout
    for block in text.split("jdk.ExecutionSample {")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        frames = re.findall(r"^\s+([\w$.<>/]+\([^)]*\))", block.split("stackTrace = [", 1)[-1], re.M)
        yield (thread.group(1) if thread else "?"), frames


def group_of(thread):
    return re.sub(r"[ -]+$", "", re.sub(r"\d+", "", thread)) or thread


def stage_of(frames):
    for frame in frames:
        for name, pattern in STAGES:
            if pattern.search(frame):
                return name
    return "other"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    by_group = collections.Counter()
    by_stage = collections.Counter()
    by_group_stage = collections.defaultdict(collections.Counter)
    hot = collections.defaultdict(collections.Counter)
    total = 0
    for thread, frames in samples(path):
        if not frames:
            continue
        total += 1
        group = group_of(thread)
        stage = stage_of(frames)
        by_group[group] += 1
        by_stage[stage] += 1
        by_group_stage[group][stage] += 1
        hot[group][frames[0]] += 1
    print(f"{total} CPU samples in {path}\n")
    print("| thread group | samples | share | its stages |\n|---|---:|---:|---|")
    for group, n in by_group.most_common(12):
        stages = ", ".join(f"{s} {c * 100 / n:.0f}%" for s, c in by_group_stage[group].most_common(5))
        print(f"| {group} | {n} | {n * 100 / total:.1f}% | {stages} |")
    print("\n| stage | samples | share |\n|---|---:|---:|")
    for stage, n in by_stage.most_common():
        print(f"| {stage} | {n} | {n * 100 / total:.1f}% |")
    for group, n in by_group.most_common(5):
        print(f"\nhottest frames of {group} ({n} samples):")
        for frame, c in hot[group].most_common(top):
            print(f"  {c:6d} {c * 100 / n:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
