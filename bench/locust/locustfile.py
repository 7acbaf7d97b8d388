"""Locust users that vote in Ovation, over HTTP and gRPC.

  OvationHttpVoter       POST /api/votes, one vote in Ovation's shape, with its own id
  OvationHttpBatchVoter  POST /api/votes/batch, --batch-size votes in Ovation's shape
  SeedHttpVoter          POST /insert, one vote in the seed's shape (contest "default")
  OvationGrpcVoter       ovation.v1.VoteService/Cast, one vote with its own id
  SeedGrpcVoter          confproto.getInfo/returnInfo, the seed's call (contest "default")

Every user votes again as soon as it has its answer (or after --pause seconds on average). A request
succeeds only when the vote was acknowledged: 202 and the vote's id, every vote of a batch accepted,
a gRPC receipt. Bands and albums are drawn from the seed's votes (samples/seed-traffic.json), each
vote from a different voter, so no voter meets a contest's rate limit.

Runs with Debian 12's packages: python3-locust (2.12.1), python3-grpcio, python3-protobuf and
protobuf-compiler. The gRPC messages are compiled from the repository's own .proto files when Locust
starts, by the protoc of the same protobuf release as the Python runtime, so they cannot drift from
the server's. How to run it: docs/locust.md.
"""
import atexit
import csv
import importlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import grpc
import grpc.experimental.gevent as grpc_gevent
from locust import FastHttpUser, User, events, task
from locust.runners import WorkerRunner
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

# gRPC's blocking calls must yield to Locust's other users (gevent), as Locust's gRPC example does
grpc_gevent.init_gevent()

REPO = Path(__file__).resolve().parents[2]
PROTO_ROOT = REPO / "ovation-model" / "src" / "main" / "protobuf"
PROTOS = ("ovation/v1/vote.proto", "confproto/seed.proto")
SEED_VOTES = json.loads((REPO / "samples" / "seed-traffic.json").read_text(encoding="utf-8"))
INGEST_URL = "http://localhost:8080"
GRPC_PORT = 50051
GRPC_TIMEOUT_SECONDS = 30


def _compile_protos():
    """Compiles PROTOS into a temporary directory and returns their message modules."""
    out = tempfile.mkdtemp(prefix="ovation-locust-")
    atexit.register(shutil.rmtree, out, True)
    # protoc from Debian's protobuf-compiler; python3-grpc-tools' bundled protoc also works
    protoc = [shutil.which("protoc")] if shutil.which("protoc") else [sys.executable, "-m", "grpc_tools.protoc"]
    compiled = subprocess.run([*protoc, f"-I{PROTO_ROOT}", f"--python_out={out}", *PROTOS],
                              capture_output=True, text=True, check=False)
    if compiled.returncode != 0:
        raise SystemExit(f"locustfile: could not compile {', '.join(PROTOS)} with {' '.join(protoc)} "
                         f"(apt-get install protobuf-compiler): {compiled.stderr.strip()}")
    sys.path.insert(0, out)
    return importlib.import_module("ovation.v1.vote_pb2"), importlib.import_module("confproto.seed_pb2")


vote_pb2, seed_pb2 = _compile_protos()


@events.init_command_line_parser.add_listener
def _add_options(parser):
    parser.add_argument("--contest", default="default",
                        help="the contest of the votes in Ovation's shape (HTTP, batch, gRPC Cast); it must "
                             "take the seed's bands and albums. The seed's shapes always vote in 'default'")
    parser.add_argument("--grpc-target", default="",
                        help=f"host:port of the ingest's gRPC server (default: the host of --host, port {GRPC_PORT})")
    parser.add_argument("--batch-size", type=int, default=20, help="votes per POST /api/votes/batch (1 to 1000)")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="mean seconds a user waits between votes, drawn uniformly from 0 to twice it "
                             "(0: vote again as soon as answered)")


@events.init.add_listener
def _write_final_stats_at_quit(environment, **_kwargs):
    """With --csv PREFIX, writes PREFIX_final_stats.csv once every user has stopped.

    Locust 2.12 rewrites PREFIX_stats.csv once a second while it runs and not after its users stop,
    so that file misses the requests of the last second and of --stop-timeout. This one, in the
    same columns, holds every request the final summary shows.
    """
    prefix = environment.parsed_options.csv_prefix if environment.parsed_options else None
    if not prefix or isinstance(environment.runner, WorkerRunner):
        return

    def write(**_kwargs):
        with open(f"{prefix}_final_stats.csv", "w", newline="", encoding="utf-8") as file:
            StatsCSV(environment, PERCENTILES_TO_REPORT).requests_csv(csv.writer(file))

    environment.events.quit.add_listener(write)


def _ovation_vote(contest):
    """A vote in Ovation's shape with its own id, for a seed vote's band and album, from a new voter."""
    seed = random.choice(SEED_VOTES)
    return {"id": f"locust-{uuid.uuid4()}", "contest": contest, "band": seed["name"], "album": seed["album"],
            "year": seed["year"], "rank": seed["rank"], "voter": f"+502{random.randrange(10 ** 8):08d}"}


class Voter:
    """What every user here shares: the pause between votes."""

    def wait_time(self):
        pause = self.environment.parsed_options.pause
        return random.uniform(0, 2 * pause) if pause > 0 else 0


class OvationHttpVoter(Voter, FastHttpUser):
    """One vote per request in Ovation's shape: POST /api/votes answers 202 with the vote's id."""

    host = INGEST_URL

    @task
    def vote(self):
        vote = _ovation_vote(self.environment.parsed_options.contest)
        with self.client.post("/api/votes", json=vote, catch_response=True) as response:
            if response.status_code != 202:
                response.failure(f"{response.status_code} {response.text}")
            elif response.json().get("id") != vote["id"]:
                response.failure(f"a receipt for another vote: {response.text}")


class OvationHttpBatchVoter(Voter, FastHttpUser):
    """--batch-size votes per request: POST /api/votes/batch answers 200 with a result per vote.

    Locust counts requests: a successful one is --batch-size votes, each accepted.
    """

    host = INGEST_URL

    @task
    def vote_batch(self):
        contest = self.environment.parsed_options.contest
        votes = [_ovation_vote(contest) for _ in range(self.environment.parsed_options.batch_size)]
        with self.client.post("/api/votes/batch", json=votes, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.text}")
                return
            refused = [r for r in response.json()["results"] if r["status"] != "accepted"]
            if refused:
                response.failure(f"{len(refused)} of {len(votes)} votes not accepted, the first: {refused[0]}")


class SeedHttpVoter(Voter, FastHttpUser):
    """One vote per request in the seed's shape, {"name","album","year","rank"}: POST /insert answers 202."""

    host = INGEST_URL

    @task
    def vote(self):
        with self.client.post("/insert", json=random.choice(SEED_VOTES), catch_response=True) as response:
            if response.status_code != 202:
                response.failure(f"{response.status_code} {response.text}")


class VoteNotAcknowledged(Exception):
    """A gRPC call that failed, or answered without acknowledging the vote sent. Its message holds no
    time or id, so that Locust's error report groups the failures of one cause."""


class GrpcVoter(Voter, User):
    """A user that calls the ingest's gRPC server and reports each call to Locust as a request.

    Locust's documented way for other protocols (its examples/grpc): time the call, then fire the
    request event. --host stays the ingest's HTTP URL, so that one run can mix HTTP and gRPC users.
    """

    abstract = True
    host = INGEST_URL

    def __init__(self, environment):
        super().__init__(environment)
        target = environment.parsed_options.grpc_target or f"{urlsplit(self.host).hostname}:{GRPC_PORT}"
        self._channel = grpc.insecure_channel(target)

    def on_stop(self):
        self._channel.close()

    def call(self, method, request, response_class, check):
        """Calls the unary RPC method (e.g. /ovation.v1.VoteService/Cast) as one Locust request;
        check(answer) says why an answer is wrong, or returns None."""
        rpc = self._channel.unary_unary(method, request_serializer=type(request).SerializeToString,
                                        response_deserializer=response_class.FromString)
        answer, exception = None, None
        started = time.perf_counter()
        try:
            answer = rpc(request, timeout=GRPC_TIMEOUT_SECONDS)
            wrong = check(answer)
            if wrong:
                exception = VoteNotAcknowledged(wrong)
        except grpc.RpcError as e:
            exception = VoteNotAcknowledged(f"{e.code().name}: {e.details()}")
        self.environment.events.request.fire(
            request_type="grpc", name=method.lstrip("/"),
            response_time=(time.perf_counter() - started) * 1000,
            response_length=answer.ByteSize() if answer is not None else 0,
            response=answer, context={}, exception=exception)


class OvationGrpcVoter(GrpcVoter):
    """One vote per call in Ovation's shape: ovation.v1.VoteService/Cast answers a Receipt with the vote's id."""

    @task
    def vote(self):
        vote = vote_pb2.Vote(**_ovation_vote(self.environment.parsed_options.contest))
        self.call("/ovation.v1.VoteService/Cast", vote, vote_pb2.Receipt,
                  lambda receipt: None if receipt.id == vote.id else f"a receipt for another vote: {receipt}")


class SeedGrpcVoter(GrpcVoter):
    """The seed's call: confproto.getInfo/returnInfo casts one vote in "default" and names it in info."""

    @task
    def vote(self):
        self.call("/confproto.getInfo/returnInfo", seed_pb2.requestId(**random.choice(SEED_VOTES)), seed_pb2.replyInfo,
                  lambda reply: None if " accepted in contest " in reply.info else f"not accepted: {reply.info}")
