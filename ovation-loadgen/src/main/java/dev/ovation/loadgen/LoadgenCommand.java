package dev.ovation.loadgen;

import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ovation loadgen}: drives a running Ovation with votes over one protocol, at a fixed
 * arrival rate (open model) or with a fixed number of users (closed model), then checks that the
 * results counted every acknowledged vote exactly once.
 *
 * <pre>
 * ./ovation loadgen --protocol grpc --rate 5000 --duration 30s --report run.json --html run.html
 * </pre>
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends votes to a running Ovation over one protocol and measures the acknowledgement latency"
                + " (HdrHistogram), then waits until the results API shows every acknowledged vote counted exactly"
                + " once.",
                "",
                "The open model (--rate, the default) sends at fixed times whatever the server answers, and measures"
                        + " each vote's latency from the time it was meant to leave, so a slow server cannot hide its"
                        + " latency by slowing the generator down (coordinated omission). The closed model (--users)"
                        + " is there for comparison.",
                ""},
        footer = {"",
                "Prints a live line every second to standard error and the summary to standard output.",
                "Freshness: once a second during the measurement, the time from noting how many votes were"
                        + " acknowledged to the first read of the results that shows them all counted.",
                "Exit status: 0 when the counts match (or --no-verify), 1 when they do not, 2 for bad options.",
                "Logs go to standard error, as text or, with OVATION_LOG_FORMAT=json, one JSON object per line."})
public final class LoadgenCommand implements Callable<Integer> {

    /** What {@code --catalog} names the contest's own catalog. */
    static final String CONTEST_CATALOG = "contest";

    /**
     * Votes per second of the open model when no {@code --rate} is given: modest, so that a generator run
     * on a small machine beside Ovation does not overload it (bench/run.sh steps the rate up on purpose).
     */
    static final int DEFAULT_RATE = 2_000;

    private static final Pattern CONTEST = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = {"-p", "--protocol"}, defaultValue = "http", paramLabel = "PROTOCOL",
            completionCandidates = ProtocolLabels.class, converter = ProtocolConverter.class,
            description = "How votes are sent: ${COMPLETION-CANDIDATES}. http: one vote per POST /api/votes;"
                    + " http-batch: POST /api/votes/batch; grpc: unary VoteService/Cast; grpc-stream:"
                    + " VoteService/CastStream; seed-http: the seed's POST /insert; seed-grpc: the seed's"
                    + " confproto.getInfo (default: ${DEFAULT-VALUE}).")
    Protocol protocol;

    @Option(names = "--ingest-url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "The ingest's HTTP API (default: ${DEFAULT-VALUE}).")
    URI ingestUrl;

    @Option(names = "--grpc-target", defaultValue = "127.0.0.1:50051", paramLabel = "HOST:PORT",
            description = "The ingest's gRPC address (default: ${DEFAULT-VALUE}).")
    String grpcTarget;

    @Option(names = "--results-url", defaultValue = "http://127.0.0.1:8088", paramLabel = "URL",
            description = "The results API, read to verify the counts and measure freshness (default: ${DEFAULT-VALUE}).")
    URI resultsUrl;

    @Option(names = "--rate", paramLabel = "VOTES_PER_S", converter = Rates.class,
            description = "Open model: votes per second, sent on schedule whatever the answers (e.g. 5000 or 5k;"
                    + " default: " + DEFAULT_RATE + " unless --users).")
    Double rate;

    @Option(names = "--users", paramLabel = "N",
            description = "Closed model instead: N users, each sending its next request as soon as the previous"
                    + " one is answered.")
    int users;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "TIME", converter = Durations.class,
            description = "How long to measure, after the warm-up: 500ms, 10s, 2m... (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "TIME", converter = Durations.class,
            description = "How long to send before measuring; warm-up votes are verified but their latency is left"
                    + " out (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--max-in-flight", defaultValue = "10000", paramLabel = "N",
            description = "The most votes waiting for an answer at once. In the open model, a vote due when the"
                    + " limit is reached waits (its latency still counts from its due time); votes still waiting at"
                    + " the end are reported as not sent (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "TIME", converter = Durations.class,
            description = "How long one request may wait for its answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--connections", paramLabel = "N",
            description = "Connections to the ingest: for HTTP/1.1 the most opened (one request at a time each;"
                    + " default 64), for gRPC the HTTP/2 connections used in turn (default 2).")
    Integer connections;

    @Option(names = "--io-threads", defaultValue = "2", paramLabel = "N",
            description = "Threads of the asynchronous clients; one more thread paces the sends"
                    + " (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N",
            description = "http-batch: votes per request, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-linger", defaultValue = "2ms", paramLabel = "TIME", converter = Durations.class,
            description = "http-batch, open model: a batch leaves when full or this long after its first vote was"
                    + " due (default: ${DEFAULT-VALUE}).")
    Duration batchLinger;

    @Option(names = "--votes-file", defaultValue = BallotFile.SEED, paramLabel = "FILE",
            description = "Votes to replay in order, in the seed's shape: a JSON array of {\"name\", \"album\","
                    + " \"year\", \"rank\"} (default: ${DEFAULT-VALUE}, the seed's 650 votes shipped with Ovation).")
    String votesFile;

    @Option(names = "--generate",
            description = "Generate votes over a catalog with a popularity skew instead of replaying --votes-file.")
    boolean generate;

    @Option(names = "--catalog", paramLabel = "contest|FILE|BxA",
            description = "With --generate: 'contest' for the contest's catalog as the results API describes it"
                    + " (listed order = popularity), a JSON array of {\"band\", \"albums\": [...]} most popular"
                    + " first, a seed-shaped votes file, or BxA for B made-up bands of A albums each (default: the"
                    + " contest's catalog when it has one, else the bands and albums of --votes-file, most voted"
                    + " first).")
    String catalog;

    @Option(names = "--skew", defaultValue = "1.0", paramLabel = "S",
            description = "With --generate: Zipf exponent of popularity; the k-th most popular band/album gets"
                    + " votes in proportion to 1/k^S; 0 is uniform (default: ${DEFAULT-VALUE}).")
    double skew;

    @Option(names = "--random-seed", paramLabel = "N",
            description = "Seed of the random choices (catalog draws, voters, resends), to repeat a run exactly"
                    + " (default: a new one, shown in the report).")
    Long randomSeed;

    @Option(names = "--contest", defaultValue = Vote.DEFAULT_CONTEST, paramLabel = "ID",
            description = "The contest voted in; the seed's shapes always vote in 'default' (default: ${DEFAULT-VALUE}).")
    String contest;

    @Option(names = "--voters", defaultValue = "0", paramLabel = "N",
            description = "Spread votes over N voters (voter-0 ... voter-N-1) to exercise per-voter limits; 0 sends"
                    + " anonymous votes (default: ${DEFAULT-VALUE}). Votes over a contest's limit are acknowledged and"
                    + " then rejected by the counter; the verification accounts for them apart. Not with the seed's"
                    + " shapes.")
    int voters;

    @Option(names = "--duplicates", defaultValue = "0", paramLabel = "P",
            description = "Fraction (0 to 1) of sends that repeat an already acknowledged vote with its id; each"
                    + " must count once and show as a duplicate absorbed (default: ${DEFAULT-VALUE}). Not with the"
                    + " seed's shapes, which carry no id.")
    double duplicates;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check in the results API that every acknowledged vote was counted exactly once"
                    + " (default: on; --no-verify when the results API is out of reach).")
    boolean verify;

    @Option(names = "--verify-timeout", defaultValue = "60s", paramLabel = "TIME", converter = Durations.class,
            description = "How long to wait for the results to show the counts (default: ${DEFAULT-VALUE}).")
    Duration verifyTimeout;

    @Option(names = "--freshness", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Sample freshness once a second: acknowledgement to visible in the results (default: on).")
    boolean freshness;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write everything (settings, counts, errors, percentiles, timeline, verification) as JSON.")
    Path report;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write a self-contained HTML page with latency-over-time and percentile charts.")
    Path html;

    @Option(names = {"-q", "--quiet"}, description = "No live line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        LoadSettings settings = settings();
        RunReport report = new LoadRun(settings, spec.commandLine().getOut(), spec.commandLine().getErr(),
                NanoClock.SYSTEM).run();
        return report.passed() ? 0 : 1;
    }

    /** The options, checked. */
    LoadSettings settings() {
        CommandLine cli = spec.commandLine();
        boolean seed = protocol == Protocol.SEED_HTTP || protocol == Protocol.SEED_GRPC;
        if (users < 0) {
            throw new ParameterException(cli, "--users must be 1 or more");
        }
        if (users > 0 && rate != null) {
            throw new ParameterException(cli, "--rate (open model) and --users (closed model) exclude each other");
        }
        double openRate = users > 0 ? 0 : rate == null ? DEFAULT_RATE : rate;
        if (users == 0 && !(openRate > 0 && openRate <= 10_000_000)) {
            throw new ParameterException(cli, "--rate must be more than 0 and at most 10,000,000 votes/s");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new ParameterException(cli, "--duration must be more than 0");
        }
        if (timeout.isZero() || verifyTimeout.isNegative()) {
            throw new ParameterException(cli, "--timeout and --verify-timeout must be more than 0");
        }
        if (ioThreads < 1 || ioThreads > 64) {
            throw new ParameterException(cli, "--io-threads must be 1 to 64");
        }
        int batch = protocol == Protocol.HTTP_BATCH ? batchSize : 1;
        if (batch < 1 || batch > 1_000) {
            throw new ParameterException(cli, "--batch-size must be 1 to 1000 (the ingest's limit)");
        }
        if (maxInFlight < 1) {
            throw new ParameterException(cli, "--max-in-flight must be 1 or more");
        }
        int inFlight = users > 0 ? Math.max(maxInFlight, users * batch) : Math.max(maxInFlight, batch);
        int conns = connections != null ? connections : protocolUsesGrpc() ? 2 : 64;
        if (conns < 1 || conns > 10_000) {
            throw new ParameterException(cli, "--connections must be 1 to 10000");
        }
        if (!CONTEST.matcher(contest).matches()) {
            throw new ParameterException(cli, "--contest must be 1 to 64 characters of a-z, 0-9, '_' or '-'");
        }
        if (seed && !contest.equals(Vote.DEFAULT_CONTEST)) {
            throw new ParameterException(cli, "the seed's shapes always vote in the contest 'default'; drop --contest");
        }
        if (voters < 0 || (seed && voters > 0)) {
            throw new ParameterException(cli, voters < 0 ? "--voters must be 0 or more"
                    : "the seed's shapes carry no voter; drop --voters");
        }
        if (!(duplicates >= 0 && duplicates < 1)) {
            throw new ParameterException(cli, "--duplicates must be a fraction from 0 to below 1");
        }
        if (seed && duplicates > 0) {
            throw new ParameterException(cli, "the seed's shapes carry no id, so they cannot be resent; drop --duplicates");
        }
        if (!(skew >= 0 && skew <= 10)) {
            throw new ParameterException(cli, "--skew must be 0 to 10");
        }
        if (catalog != null && !generate) {
            throw new ParameterException(cli, "--catalog is for --generate");
        }
        if (!verify && freshness && cli.getParseResult() != null
                && cli.getParseResult().hasMatchedOption("--freshness")) {
            throw new ParameterException(cli, "--freshness reads the results API, which --no-verify leaves alone");
        }
        requireHttpUrl(cli, "--ingest-url", ingestUrl);
        requireHttpUrl(cli, "--results-url", resultsUrl);
        long seedValue = randomSeed != null ? randomSeed : ThreadLocalRandom.current().nextLong();
        return new LoadSettings(protocol, ingestUrl, grpcTarget, resultsUrl, openRate, users, duration, warmup,
                inFlight, timeout, conns, ioThreads, batch, batchLinger, votesFile, generate, catalog, skew,
                seedValue, seed ? Vote.DEFAULT_CONTEST : contest, voters, duplicates, verify, verifyTimeout,
                verify && freshness, report, html, quiet);
    }

    private boolean protocolUsesGrpc() {
        return protocol == Protocol.GRPC || protocol == Protocol.GRPC_STREAM || protocol == Protocol.SEED_GRPC;
    }

    private static void requireHttpUrl(CommandLine cli, String option, URI uri) {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ParameterException(cli, option + " must be an http:// URL with a host, not '" + uri + "'");
        }
    }

    /** The protocol labels, for --help and shell completion. */
    static final class ProtocolLabels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Protocol.values()).map(Protocol::label).iterator();
        }
    }

    /** Reads a protocol by its label. */
    static final class ProtocolConverter implements CommandLine.ITypeConverter<Protocol> {
        @Override
        public Protocol convert(String value) {
            Protocol p = Protocol.ofLabel(value);
            if (p == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a protocol; use one of "
                        + String.join(", ", new ProtocolLabels()));
            }
            return p;
        }
    }
}
