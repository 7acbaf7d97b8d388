#!/usr/bin/env python3
"""Writes the request bodies that bench/ingest-load.sh sends, into the directory given (default .):

  vote.json         one vote in Ovation's shape (POST /api/votes)
  batch-N.json      a JSON array of N such votes (POST /api/votes/batch)
  vote.grpc         one ovation.v1.Vote as a gRPC frame (VoteService/Cast)
  stream-N.grpc     N gRPC frames of ovation.v1.Vote in one body (VoteService/CastStream: one
                    client stream of N votes, half-closed after the last)
  health.grpc       an empty grpc.health.v1.HealthCheckRequest (Health/Check: the no-op ceiling)
"""
import json
import struct
import sys
from pathlib import Path

VOTE = {"band": "The Beatles", "album": "Abbey Road", "year": "1969", "rank": "1"}
BATCHES = (100, 500)  # ingest-load.sh sends 100 a request; opening.sh and aot-cache.sh 500
STREAM = 1000


def proto_string(field, text):
    data = text.encode()
    assert len(data) < 128
    return bytes([field << 3 | 2, len(data)]) + data


def grpc_frame(message):
    return b"\0" + struct.pack(">I", len(message)) + message


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    (out / "vote.json").write_text(json.dumps(VOTE, separators=(",", ":")))
    for size in BATCHES:
        (out / f"batch-{size}.json").write_text(json.dumps([VOTE] * size, separators=(",", ":")))
    vote = b"".join(proto_string(f, VOTE[k]) for f, k in ((3, "band"), (4, "album"), (5, "year"), (6, "rank")))
    (out / "vote.grpc").write_bytes(grpc_frame(vote))
    (out / f"stream-{STREAM}.grpc").write_bytes(grpc_frame(vote) * STREAM)
    (out / "health.grpc").write_bytes(grpc_frame(b""))


if __name__ == "__main__":
    main()
