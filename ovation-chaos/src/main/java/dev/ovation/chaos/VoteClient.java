package dev.ovation.chaos;

import dev.ovation.chaos.History.Attempt;
import dev.ovation.chaos.History.Outcome;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sends votes at a steady rate to every ingest replica, half over HTTP and half over gRPC, each with
 * an id of its own, and records every attempt in the {@link History}. A vote whose outcome is unknown
 * is sent again with the same id to the next replica, as a real client would, until it is answered or
 * resending stops; a share of the acknowledged votes is sent once more on purpose (a duplicate the
 * counters must absorb).
 */
final class VoteClient implements AutoCloseable {

    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RESEND_DELAY = Duration.ofMillis(300);
    /** Most attempts waiting for an answer at once; beyond it the client falls behind its rate. */
    static final int MAX_IN_FLIGHT = 4_000;

    private final History history;
    private final String contest;
    private final List<String> bands;
    private final String runId;
    private final double resendShare;
    private final long startNanos;
    private final List<String> httpBases;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<VoteServiceGrpc.VoteServiceFutureStub> stubs = new ArrayList<>();
    private final HttpClient http;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong target = new AtomicLong();
    private volatile boolean sending;
    private volatile boolean resending = true;
    private volatile Consumer<History.Vote> onAcknowledged = vote -> { };

    VoteClient(History history, Cluster cluster, String contest, List<String> bands, String runId, double resendShare,
               long startNanos) {
        this.history = history;
        this.contest = contest;
        this.bands = bands;
        this.runId = runId;
        this.resendShare = resendShare;
        this.startNanos = startNanos;
        this.httpBases = cluster.list("INGEST_HTTP");
        this.http = HttpClient.newBuilder().connectTimeout(ATTEMPT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        for (String target : cluster.list("INGEST_GRPC")) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext()
                    .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(2, TimeUnit.SECONDS).build();
            channels.add(channel);
            stubs.add(VoteServiceGrpc.newFutureStub(channel));
        }
    }

    /** Called with each vote when first acknowledged (the freshness probe picks from them). */
    void onAcknowledged(Consumer<History.Vote> listener) {
        this.onAcknowledged = listener;
    }

    /** Starts sending {@code perSecond} new votes a second, in ticks of 10 ms. */
    void start(int perSecond) {
        sending = true;
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
        long began = System.nanoTime();
        scheduler.scheduleAtFixedRate(() -> {
            if (!sending) {
                return;
            }
            long due = (System.nanoTime() - began) / tickNanos * perSecond / 100;
            while (target.get() < due && sending) {
                target.incrementAndGet();
                long n = sequence.incrementAndGet();
                String band = bands.get((int) (n % bands.size()));
                History.Vote vote = history.vote(runId + "-" + n, band);
                send(vote, (int) n);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Stops new votes; unknown ones are still sent again until {@link #stopResending}. */
    void stopSending() {
        sending = false;
    }

    void stopResending() {
        resending = false;
    }

    /** Votes whose outcome is still unknown. */
    long unknown() {
        return history.votes().stream().filter(v -> v.outcome == Outcome.UNKNOWN || v.outcome == null).count();
    }

    private long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private void send(History.Vote vote, int route) {
        if (!inFlight.tryAcquire()) {
            // no room: the attempt is not made; try again shortly (the vote stays unknown meanwhile)
            scheduler.schedule(() -> send(vote, route), RESEND_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        long sentAt = now();
        boolean overGrpc = (route & 1) == 1;
        int replica = Math.floorMod(route >> 1, overGrpc ? stubs.size() : httpBases.size());
        CompletableFuture<Attempt> answer = overGrpc ? grpc(vote, sentAt, replica) : http(vote, sentAt, replica);
        answer.whenComplete((attempt, error) -> {
            inFlight.release();
            Attempt recorded = attempt != null ? attempt
                    : new Attempt(vote.id, sentAt, now(), overGrpc ? "grpc" : "http", Outcome.UNKNOWN, String.valueOf(error));
            boolean first = vote.acknowledgedAt < 0;
            history.record(vote, recorded);
            if (recorded.outcome() == Outcome.ACKNOWLEDGED && first) {
                onAcknowledged.accept(vote);
                if (!vote.resend && ThreadLocalRandom.current().nextDouble() < resendShare) {
                    History.Vote again = new History.Vote(vote.id, vote.band, true);
                    scheduler.schedule(() -> sendDuplicate(again, vote, route + 1), 50, TimeUnit.MILLISECONDS);
                }
            } else if (recorded.outcome() == Outcome.UNKNOWN && resending) {
                scheduler.schedule(() -> send(vote, route + 1), RESEND_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Sends an acknowledged vote once more; its answer is recorded as an attempt of the same vote. */
    private void sendDuplicate(History.Vote marker, History.Vote vote, int route) {
        long sentAt = now();
        boolean overGrpc = (route & 1) == 1;
        int replica = Math.floorMod(route >> 1, overGrpc ? stubs.size() : httpBases.size());
        (overGrpc ? grpc(marker, sentAt, replica) : http(marker, sentAt, replica))
                .whenComplete((attempt, error) -> {
                    if (attempt != null) {
                        history.record(vote, attempt);
                    }
                });
    }

    private CompletableFuture<Attempt> http(History.Vote vote, long sentAt, int replica) {
        String body = "{\"id\":\"" + vote.id + "\",\"contest\":\"" + contest + "\",\"band\":\"" + vote.band
                + "\",\"album\":\"Live\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpBases.get(replica) + "/api/votes"))
                .timeout(ATTEMPT_TIMEOUT).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String via = "http:" + replica;
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                return new Attempt(vote.id, sentAt, now(), via, Outcome.UNKNOWN, rootCause(error));
            }
            int status = response.statusCode();
            Outcome outcome = status == 202 ? Outcome.ACKNOWLEDGED : status >= 500 ? Outcome.UNKNOWN : Outcome.REFUSED;
            return new Attempt(vote.id, sentAt, now(), via, outcome, status == 202 ? "" : status + " " + response.body());
        });
    }

    private CompletableFuture<Attempt> grpc(History.Vote vote, long sentAt, int replica) {
        CompletableFuture<Attempt> answer = new CompletableFuture<>();
        String via = "grpc:" + replica;
        var future = stubs.get(replica).withDeadlineAfter(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .cast(Vote.newBuilder().setId(vote.id).setContest(contest).setBand(vote.band)
                        .setAlbum("Live").build());
        future.addListener(() -> {
            try {
                Receipt receipt = future.get();
                answer.complete(new Attempt(vote.id, sentAt, now(), via, Outcome.ACKNOWLEDGED, receipt.getId()));
            } catch (Exception e) {
                Status status = Status.fromThrowable(e);
                Outcome outcome = switch (status.getCode()) {
                    case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, PERMISSION_DENIED,
                         ALREADY_EXISTS, OUT_OF_RANGE, UNAUTHENTICATED -> Outcome.REFUSED;
                    default -> Outcome.UNKNOWN;
                };
                answer.complete(new Attempt(vote.id, sentAt, now(), via, outcome,
                        status.getCode() + " " + status.getDescription()));
            }
        }, Runnable::run);
        return answer;
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        sending = false;
        resending = false;
        scheduler.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
