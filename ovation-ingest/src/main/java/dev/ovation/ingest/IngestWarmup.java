package dev.ovation.ingest;

import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.proto.seed.getInfoGrpc;
import dev.ovation.proto.seed.requestId;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import dev.ovation.store.WarmupSpace;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.ClientAddresses;
import dev.ovation.web.Metrics;
import dev.ovation.web.Warmup;
import dev.ovation.web.WebServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest's warm-up load: a twin of the ingest built from the same classes (the HTTP handler,
 * the gRPC services, the intake with its validator, admission, limits and pseudonyms, the
 * publisher and a producer of its own), listening on loopback ports of its own, sent votes of every
 * kind the ingest takes (single, batch and refused over HTTP; unary, stream and the seed's RPC over
 * gRPC) by a client that costs little. The twin knows only the warm-up's contest, publishes to the
 * warm-up's topic and records its meters in a registry of its own, so nothing it does reaches a
 * real contest, the votes topic or the ingest's metrics.
 */
final class IngestWarmup implements Warmup.Load {

    /** Single votes per protocol in a round, and votes per batch and per stream. */
    private static final int SINGLES = 8;
    /** Clients sending rounds at once. */
    private static final int CLIENTS = 4;
    private static final int BULK = 250;
    private static final int VOTERS = 500;
    private static final String[] BANDS = {"Warm-up band A", "Warm-up band B", "Warm-up band C", "Warm-up band D"};

    private final Metrics meters;
    private final VotePublisher publisher;
    private final WebServer http;
    private final IngestGrpcServer grpc;
    private final List<WarmupHttpClient> httpClients;
    private final ExecutorService clients;
    private final ManagedChannel channel;
    private final AtomicLong sequence = new AtomicLong();
    private final String runId = Long.toString(System.nanoTime(), 36);

    private IngestWarmup(Metrics meters, VotePublisher publisher, WebServer http, IngestGrpcServer grpc,
                         List<WarmupHttpClient> httpClients, ManagedChannel channel) {
        this.meters = meters;
        this.publisher = publisher;
        this.http = http;
        this.grpc = grpc;
        this.httpClients = httpClients;
        this.clients = Executors.newFixedThreadPool(httpClients.size(), task -> {
            Thread thread = new Thread(task, "ovation-ingest-warmup-client");
            thread.setDaemon(true);
            return thread;
        });
        this.channel = channel;
    }

    /** Builds the twin of the ingest and connects its clients to it. */
    static IngestWarmup open(IngestConfig config, WarmupSpace space) throws Exception {
        Metrics meters = new Metrics();
        IngestMetrics ingestMeters = new IngestMetrics(meters.registry());
        VotePublisher publisher = null;
        WebServer http = null;
        IngestGrpcServer grpc = null;
        try {
            publisher = new VotePublisher(VotePublisher.createProducer(config, "ovation-ingest-warmup"),
                    space.topic(), config.ackTimeoutMillis(), Clock.systemUTC(), ingestMeters, new AckWatch());
            publisher.awaitTopic();
            Contest contest = Contest.warmup(3);
            VoteIntake intake = new VoteIntake(new VoteValidator(), new VoteAdmission(onlyWarmup(contest),
                    Clock.systemUTC()), new VoteThrottle(AddressRanges.NONE),
                    new VoterPseudonyms(config.voterSalt() == null ? "warm-up" : config.voterSalt()), publisher,
                    ingestMeters);
            ClientAddresses clients = new ClientAddresses(AddressRanges.NONE);
            http = WebServer.builder("ingest-warmup", "127.0.0.1", 0)
                    .maxRequestBytes(IngestService.MAX_ADMIN_REQUEST_BYTES).metrics(meters)
                    .front(new VoteHttpApi(intake, config.maxVoteBytes(), config.maxBatchBytes(), ingestMeters,
                            clients)).start();
            grpc = new IngestGrpcServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), clients,
                    IngestGrpcServer.voteServices(intake)).start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
            List<WarmupHttpClient> httpClients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                httpClients.add(new WarmupHttpClient(new InetSocketAddress("127.0.0.1", http.port())));
            }
            return new IngestWarmup(meters, publisher, http, grpc, httpClients, channel);
        } catch (Exception e) {
            if (grpc != null) {
                grpc.close();
            }
            if (http != null) {
                http.close();
            }
            if (publisher != null) {
                publisher.close();
            }
            meters.close();
            throw e;
        }
    }

    private static ContestDirectory onlyWarmup(Contest contest) {
        return new ContestDirectory() {
            @Override
            public Optional<Contest> find(String id) {
                return contest.id().equals(id) ? Optional.of(contest) : Optional.empty();
            }

            @Override
            public List<Contest> all() {
                return List.of(contest);
            }
        };
    }

    /**
     * One round from each client at once: the servers, the producer and the broker see concurrent
     * calls and fuller batches, as under a burst.
     */
    @Override
    public long round() throws Exception {
        List<Future<Long>> rounds = new ArrayList<>();
        for (WarmupHttpClient client : httpClients) {
            rounds.add(clients.submit(() -> round(client)));
        }
        long votes = 0;
        for (Future<Long> round : rounds) {
            try {
                votes += round.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                rounds.forEach(r -> r.cancel(true));
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return votes;
    }

    private long round(WarmupHttpClient httpClient) throws Exception {
        long votes = 0;
        for (int i = 0; i < SINGLES; i++) {
            expect(httpClient.post("/api/votes", json(next(), i % 2 == 0)), 202, "a warm-up vote over HTTP");
            votes++;
        }
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < BULK; i++) {
            batch.append(i == 0 ? "" : ",").append(new String(json(next(), i % 3 != 0), StandardCharsets.UTF_8));
        }
        expect(httpClient.post("/api/votes/batch", batch.append(']').toString().getBytes(StandardCharsets.UTF_8)),
                200, "a warm-up batch over HTTP");
        votes += BULK;
        // refusals: the seed's shape names the default contest, which the twin does not know; a vote without band
        expect(httpClient.post("/insert", "{\"name\":\"Warm-up\",\"album\":\"Warm-up\"}".getBytes(StandardCharsets.UTF_8)),
                404, "the seed's shape");
        expect(httpClient.post("/api/votes", "{\"album\":\"Warm-up\"}".getBytes(StandardCharsets.UTF_8)), 400,
                "a vote without a band");

        VoteServiceGrpc.VoteServiceBlockingStub unary = VoteServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        for (int i = 0; i < SINGLES; i++) {
            try {
                unary.cast(proto(next(), i % 2 == 0));
            } catch (StatusRuntimeException e) {
                throw new IOException("a warm-up vote over gRPC was answered " + e.getStatus(), e);
            }
            votes++;
        }
        votes += stream();
        try {
            getInfoGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .returnInfo(requestId.newBuilder().setName("Warm-up").setAlbum("Warm-up").build());
            throw new IOException("the seed's RPC took a vote for a contest the warm-up does not know");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw new IOException("the seed's RPC was answered " + e.getStatus(), e);
            }
        }
        return votes;
    }

    /** One client stream of {@value #BULK} votes, waited for. */
    private long stream() throws Exception {
        CompletableFuture<Long> finished = new CompletableFuture<>();
        AtomicLong accepted = new AtomicLong();
        StreamObserver<Vote> votes = VoteServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .castStream(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamReceipt receipt) {
                        if (receipt.getErrorCode().isEmpty()) {
                            accepted.incrementAndGet();
                        } else {
                            finished.completeExceptionally(new IOException("a warm-up vote of a gRPC stream was"
                                    + " refused: " + receipt.getErrorCode() + ": " + receipt.getErrorMessage()));
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        finished.completeExceptionally(new IOException("a warm-up gRPC stream failed: "
                                + Status.fromThrowable(error), error));
                    }

                    @Override
                    public void onCompleted() {
                        finished.complete(accepted.get());
                    }
                });
        for (int i = 0; i < BULK; i++) {
            votes.onNext(proto(next(), i % 3 != 0));
        }
        votes.onCompleted();
        return finished.get(15, TimeUnit.SECONDS);
    }

    private long next() {
        return sequence.getAndIncrement();
    }

    /** A warm-up vote: bands and albums in turn, voters of a small pool, every tenth id sent twice. */
    private byte[] json(long n, boolean withVoter) {
        return ("{\"contest\":\"" + Contest.WARMUP_ID + "\",\"id\":\"" + id(n) + "\",\"band\":\""
                + BANDS[(int) (n % BANDS.length)] + "\",\"album\":\"Album " + (n % 5) + "\",\"year\":\"1969\",\"rank\":\""
                + (n % 10) + "\"" + (withVoter ? ",\"voter\":\"+502" + (10_000_000 + n % VOTERS) + "\"" : "") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Vote proto(long n, boolean withVoter) {
        Vote.Builder vote = Vote.newBuilder().setContest(Contest.WARMUP_ID).setId(id(n))
                .setBand(BANDS[(int) (n % BANDS.length)]).setAlbum("Album " + (n % 5)).setYear("1969")
                .setRank(Long.toString(n % 10));
        if (withVoter) {
            vote.setVoter("+502" + (10_000_000 + n % VOTERS));
        }
        return vote.build();
    }

    private String id(long n) {
        return "warmup-" + runId + "-" + (n % 10 == 9 ? n - 1 : n);
    }

    private static void expect(int status, int expected, String what) throws IOException {
        if (status != expected) {
            throw new IOException(what + " was answered " + status + ", not " + expected
                    + (status == 503 ? ": Kafka did not acknowledge the warm-up's votes" : ""));
        }
    }

    /** Closes the clients, then the twin; its records stay in the warm-up's topic, which forgets them. */
    @Override
    public void close() throws Exception {
        try {
            clients.shutdownNow();
            for (WarmupHttpClient client : httpClients) {
                client.close();
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            try {
                grpc.close();
            } finally {
                http.close();
                publisher.close();
                meters.close();
            }
        }
    }

    /** How the ingest warms up, for {@link Warmup#start}. */
    static Warmup.LoadFactory factory(IngestConfig config, WarmupSpace space) {
        return () -> open(config, space);
    }
}
