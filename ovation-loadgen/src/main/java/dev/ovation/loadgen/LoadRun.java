package dev.ovation.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run of the load generator, from the baseline read of the results to the report: sends on
 * the calling thread, prints progress once a second, samples freshness, waits for the last answers,
 * verifies the counts, then prints the summary and writes the reports.
 */
final class LoadRun {

    private static final Duration FRESHNESS_POLL = Duration.ofMillis(10);
    private static final Duration FRESHNESS_GIVE_UP = Duration.ofSeconds(10);

    private final LoadSettings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final NanoClock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param out where the summary goes
     * @param err where the live line and notices go
     */
    LoadRun(LoadSettings settings, PrintWriter out, PrintWriter err, NanoClock clock) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    RunReport run() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(settings.randomSeed());
        String runId = "lg" + Long.toString(random.nextLong() >>> 24, 36);
        String startedAt = Instant.now().toString();
        try (HttpTransport http = new HttpTransport(settings.overGrpc() ? 4 : settings.connections(),
                settings.maxInFlight() + 1_000, settings.overGrpc() ? 3 : settings.ioThreads() + 1,
                Duration.ofSeconds(5))) {
            ResultsClient results = new ResultsClient(http, settings.results(), json);
            BallotSource ballots = ballots(random.split(), results);
            ContestTotals baseline = settings.verify() ? baseline(results) : null;
            ResendPool acknowledgedVotes = new ResendPool(4_096);
            RunStats stats = new RunStats(settings.maxInFlight(), acknowledgedVotes, clock::nanoTime);
            RecordSizes recordSizes = new RecordSizes(settings.protocol().label());
            VotePlanner planner = new VotePlanner(ballots, runId, settings.contest(), !settings.seedShape(),
                    settings.voters(), settings.duplicates(), acknowledgedVotes, random.split());
            Sent sent;
            try (GrpcTransport grpc = settings.overGrpc()
                    ? new GrpcTransport(settings.grpcTarget(), settings.connections(), settings.ioThreads()) : null) {
                VoteTarget target = target(http, grpc, stats);
                notice("loadgen: " + target.describe() + "; " + model() + "; votes: " + ballots.describe());
                sent = send(target, planner, stats, recordSizes, results, baseline);
            }
            Verification verification = null;
            if (settings.verify()) {
                notice(String.format("loadgen: verifying: waiting up to %s for the results to count %,d votes...",
                        Millis.format(settings.verifyTimeout().toMillis()), sent.counts().acknowledgedOriginals()));
                verification = new Verifier(results, clock, Duration.ofMillis(100), Duration.ofSeconds(2))
                        .verify(new Verifier.Expectation(settings.contest(), baseline, sent.counts()),
                                settings.verifyTimeout());
            }
            RunReport report = report(startedAt, runId, ballots, sent, verification, recordSizes);
            out.print(SummaryText.of(report));
            out.flush();
            write(report);
            return report;
        }
    }

    /** What the sending phase left: counts, latencies, timeline, freshness. */
    private record Sent(String target, RunStats.Counts counts, long notSent, LatencySummary latency,
                        LatencySummary warmupLatency, List<LatencySummary.Point> percentiles,
                        List<TimelinePoint> timeline, FreshnessProbe.Freshness freshness, int cores) {
    }

    private Sent send(VoteTarget target, VotePlanner planner, RunStats stats, RecordSizes recordSizes,
                      ResultsClient results, ContestTotals baseline) throws InterruptedException {
        CpuMeter cpu = new CpuMeter();
        long start = clock.nanoTime() + 10_000_000;
        long measureFrom = start + settings.warmup().toNanos();
        long end = measureFrom + settings.duration().toNanos();
        Progress progress = new Progress(stats, cpu, start, measureFrom, end, settings.quiet() ? null : err, clock);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            try {
                progress.tick();
            } catch (RuntimeException e) {
                err.println("loadgen: could not read the progress of this second: " + e);
            }
        }, start + 1_000_000_000 - clock.nanoTime(), 1_000_000_000, TimeUnit.NANOSECONDS);
        FreshnessProbe probe = settings.freshness()
                ? new FreshnessProbe(results, settings.contest(), baseline.accounted(),
                        () -> stats.counts().acknowledgedOriginals(), clock, FRESHNESS_POLL, FRESHNESS_GIVE_UP)
                : null;
        Thread prober = probe == null ? null : startProber(probe, measureFrom, end);
        long notSent = 0;
        try {
            if (settings.openModel()) {
                OpenModelSchedule schedule = new OpenModelSchedule(settings.rate(), start, end);
                notSent = new OpenModelDriver(target, planner, stats, recordSizes, settings.batchSize(),
                        settings.batchLinger(), clock).run(schedule, measureFrom, end);
                stats.notSent("not sent (held back by --max-in-flight or a busy generator)", notSent);
            } else {
                clock.waitUntil(start);
                new ClosedModelDriver(target, planner, stats, recordSizes, settings.batchSize(), clock)
                        .run(settings.users(), measureFrom, end);
            }
            drain(stats);
        } finally {
            try {
                target.close();
            } finally {
                stats.stopCounting();
                ticker.shutdownNow();
                ticker.awaitTermination(5, TimeUnit.SECONDS);
                if (prober != null) {
                    prober.join(FRESHNESS_GIVE_UP.toMillis() + 2_000);
                    prober.interrupt();
                }
            }
        }
        progress.finalTick();
        LatencyBook book = stats.latencies();
        return new Sent(target.describe(), stats.counts(), notSent, LatencySummary.of(book.measuredTotal()),
                LatencySummary.of(book.warmupTotal()), LatencySummary.distribution(book.measuredTotal()),
                progress.timeline(), probe == null ? null : probe.result(), cpu.cores());
    }

    private Thread startProber(FreshnessProbe probe, long from, long until) {
        Thread t = new Thread(() -> {
            try {
                probe.run(from, until, Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loadgen-freshness");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for every vote in flight to be answered, at most the request timeout and a little. */
    private void drain(RunStats stats) throws InterruptedException {
        long deadline = clock.nanoTime() + settings.timeout().toNanos() + 2_000_000_000L;
        while (stats.inFlightPermits().availablePermits() < settings.maxInFlight() && clock.nanoTime() < deadline) {
            clock.waitUntil(clock.nanoTime() + 5_000_000);
        }
    }

    private ContestTotals baseline(ResultsClient results) throws InterruptedException {
        try {
            return results.read(settings.contest());
        } catch (IllegalStateException e) {
            String hint = e.getMessage() != null && e.getMessage().contains("is unreachable")
                    ? "; is Ovation running? Start it with ./ovation standalone (or give --results-url where its"
                            + " results API is, or --no-verify to send without checking the counts)"
                    : "; the load generator reads the results to verify the counts: pass --results-url, or"
                            + " --no-verify";
            throw new IllegalStateException(e.getMessage() + hint, e);
        }
    }

    private BallotSource ballots(SplittableRandom random, ResultsClient results) throws InterruptedException {
        String origin = settings.votesFile().equals(BallotFile.SEED) ? "seed-traffic.json" : settings.votesFile();
        List<Ballot> fromFile = BallotFile.read(BallotFile.load(json, settings.votesFile()), origin);
        if (!settings.generate()) {
            return new ReplayedBallots(fromFile, origin);
        }
        return new CatalogBallots(catalog(fromFile, origin, results), settings.skew(), random);
    }

    /** The catalog of --catalog; by default the contest's, else the votes file's bands and albums. */
    private Catalog catalog(List<Ballot> fromFile, String origin, ResultsClient results) throws InterruptedException {
        String spec = settings.catalog();
        if (spec == null || spec.equals(LoadgenCommand.CONTEST_CATALOG)) {
            Catalog ofContest = spec != null || settings.verify() ? results.catalog(settings.contest()) : null;
            if (ofContest != null) {
                return ofContest;
            }
            if (spec != null) {
                throw new IllegalArgumentException("contest " + settings.contest()
                        + " has an open catalog (or the results API does not describe it): pass --catalog FILE or BxA");
            }
            return Catalog.of(fromFile, origin);
        }
        Catalog synthetic = Catalog.synthetic(spec);
        return synthetic != null ? synthetic : Catalog.read(BallotFile.load(json, spec), spec);
    }

    private VoteTarget target(HttpTransport http, GrpcTransport grpc, RunStats stats) {
        VoteBodies bodies = new VoteBodies();
        return switch (settings.protocol()) {
            case HTTP -> HttpVoteTarget.ovation(http, settings.ingest(), bodies, settings.timeout(), stats);
            case SEED_HTTP -> HttpVoteTarget.seed(http, settings.ingest(), bodies, settings.timeout(), stats);
            case HTTP_BATCH -> new HttpBatchTarget(http, settings.ingest(), bodies, json, settings.timeout(), stats);
            case GRPC -> new GrpcCastTarget(grpc, false, settings.timeout(), stats);
            case SEED_GRPC -> new GrpcCastTarget(grpc, true, settings.timeout(), stats);
            case GRPC_STREAM -> new GrpcStreamTarget(grpc, settings.timeout(), stats);
        };
    }

    private String model() {
        String phases = String.format("%s after a %s warm-up", Millis.format(settings.duration().toMillis()),
                Millis.format(settings.warmup().toMillis()));
        return settings.openModel()
                ? String.format("open model at %,.0f votes/s for %s, at most %,d in flight", settings.rate(), phases,
                        settings.maxInFlight())
                : String.format("closed model, %d users, for %s", settings.users(), phases);
    }

    private RunReport report(String startedAt, String runId, BallotSource ballots, Sent sent,
                             Verification verification, RecordSizes recordSizes) {
        double measuredSeconds = settings.duration().toNanos() / 1e9;
        boolean passed = (verification == null || verification.passed()) && sent.counts().acknowledged() > 0;
        return new RunReport(startedAt, HostName.get(), runId, settings.describe(), ballots.describe(), sent.target(),
                sent.counts(), sent.notSent(), settings.openModel() ? settings.rate() : 0,
                sent.latency().count() / measuredSeconds, sent.latency(), sent.warmupLatency(), sent.percentiles(),
                sent.timeline(), sent.freshness(), RunReport.CpuSummary.of(sent.cores(), sent.timeline()),
                verification, recordSizes.meanBytes(), passed);
    }

    private void write(RunReport report) {
        try {
            if (settings.report() != null) {
                createParent(settings.report());
                json.writeValue(settings.report().toFile(), report);
                notice("loadgen: wrote " + settings.report());
            }
            if (settings.html() != null) {
                createParent(settings.html());
                Files.writeString(settings.html(), HtmlReport.of(report), StandardCharsets.UTF_8);
                notice("loadgen: wrote " + settings.html());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private void notice(String line) {
        if (!settings.quiet()) {
            err.println(line);
            err.flush();
        }
    }
}
