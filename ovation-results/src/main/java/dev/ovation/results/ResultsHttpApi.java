package dev.ovation.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.MongoException;
import dev.ovation.model.ApiError;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.model.contest.ContestFile;
import dev.ovation.store.ContestTally;
import dev.ovation.store.DeadLetter;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.LogFilter;
import dev.ovation.store.LogPage;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.store.VoteRecords;
import dev.ovation.web.DependencyUnavailableException;
import dev.ovation.web.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public, read-only results API and the live page (its files are served beside these routes,
 * its stream by {@link LiveStream}). The contract is in {@code openapi.yaml}, served at
 * {@code /api/openapi.yaml}.
 *
 * <pre>
 * curl -s localhost:8088/api/contests/default/results
 * {"contest":"default","total":650,"duplicates":0,"bands":[{"band":"Led Zeppelin","votes":290,...}],"asOf":"..."}
 * curl -s 'localhost:8088/api/contests/default/logs?limit=20&amp;band=Pink%20Floyd'
 * curl -s localhost:8088/api/contests/default/votes/930cd88a-7b94-47e4-b94a-248d97911a13
 * curl -s -OJ localhost:8088/api/contests/default/logs.csv
 * </pre>
 */
public final class ResultsHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsHttpApi.class);
    /** The most log entries one page may hold. */
    public static final int MAX_LIMIT = 500;
    private static final Pattern CONTEST = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern VOTE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String CSV_TYPE = "text/csv; charset=utf-8";
    /** The ingest's vote endpoints, which a client pointed at the results port by mistake is told of. */
    static final List<String> INGEST_PATHS = List.of("/api/votes", "/api/votes/batch", "/insert", "/");

    private final ContestDirectory contests;
    private final TallyStore tallies;
    private final VoteLog log;
    private final Clock clock;
    private final String page;
    private final byte[] openApi;
    private final DeadLetterTopic.Reader deadLetters;
    private final VoteRecords records;
    private final ReadLimits limits;
    private final LogExports exports;

    /**
     * @param deadLetters the records the counters set aside (null: none followed)
     * @param records     where a checked vote is read back from the topic (null: votes are checked
     *                    without their details)
     * @param limits      how many exports, vote checks and streams are served at once
     * @param exports     what writes the log's CSV exports, on threads of their own
     */
    ResultsHttpApi(ContestDirectory contests, TallyStore tallies, VoteLog log, Clock clock,
                   DeadLetterTopic.Reader deadLetters, VoteRecords records, ReadLimits limits, LogExports exports) {
        this.deadLetters = deadLetters;
        this.contests = contests;
        this.tallies = tallies;
        this.log = log;
        this.clock = clock;
        this.records = records;
        this.limits = limits;
        this.exports = exports;
        this.page = new String(resource("web/index.html"), StandardCharsets.UTF_8);
        this.openApi = resource("openapi.yaml");
    }

    /** Adds the routes. */
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/contests", this::listContests);
        routes.get("/api/contests/{contest}", this::contest);
        routes.get("/api/contests/{contest}/results", this::results);
        routes.get("/api/contests/{contest}/results.json", this::resultsJson);
        routes.get("/api/contests/{contest}/results.csv", this::resultsCsv);
        routes.get("/api/contests/{contest}/logs", this::logs);
        routes.get("/api/contests/{contest}/logs.csv", this::logsCsv);
        routes.get("/api/contests/{contest}/votes/{id}", this::vote);
        routes.get("/api/dead-letters", this::deadLetters);
        routes.get("/api/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
        routes.get("/", ctx -> ctx.header("Cache-Control", "no-cache").html(page));
        for (String path : INGEST_PATHS) {
            routes.post(path, ResultsHttpApi::votesGoToTheIngest);
            if (!path.equals("/")) {
                routes.get(path, ResultsHttpApi::votesGoToTheIngest);
            }
        }
    }

    /**
     * {@code POST /api/votes}, {@code /api/votes/batch}, {@code /insert} or {@code /} sent here, to the
     * results port, instead of the ingest: {@code 404} with a message that says where votes go.
     *
     * <pre>
     * curl -s -XPOST localhost:8088/api/votes -d '{"band":"Queen","album":"Jazz"}'
     * {"error":"not_found","message":"this is the results server, which takes no votes: POST /api/votes to the ingest instead, ..."}
     * </pre>
     */
    static void votesGoToTheIngest(Context ctx) {
        Json.send(ctx, 404, ApiError.of("not_found", "this is the results server, which takes no votes: POST "
                + ctx.path() + " to the ingest instead, on its HTTP port: 8080 unless"
                + " OVATION_HTTP_PORT (or the standalone's --http-port) says otherwise, as in http://<ingest host>:8080"
                + ctx.path()));
    }

    /**
     * {@code GET /api/dead-letters}: the records of the votes topic the counters set aside, each
     * once: {@code {"count", "byReason": {...}, "latest": [the last 100, by position]}}.
     */
    void deadLetters(Context ctx) {
        List<DeadLetter> all = deadLetters == null ? List.of() : deadLetters.all();
        Map<String, Long> byReason = new TreeMap<>();
        all.forEach(letter -> byReason.merge(letter.reason(), 1L, Long::sum));
        Json.send(ctx, 200, new DeadLetters(all.size(), byReason, all.subList(Math.max(0, all.size() - 100), all.size())));
    }

    /** The body of {@code GET /api/dead-letters}. */
    record DeadLetters(int count, Map<String, Long> byReason, List<DeadLetter> latest) {
    }

    /** {@code GET /api/contests}: every contest with its status now. */
    void listContests(Context ctx) {
        Json.send(ctx, 200, contests.all().stream().map(this::describe).toList());
    }

    /** {@code GET /api/contests/{contest}}: one contest, {@code 404} if unknown. */
    void contest(Context ctx) {
        Contest found = find(ctx);
        if (found != null) {
            Json.send(ctx, 200, describe(found));
        }
    }

    /**
     * {@code GET /api/contests/{contest}/results}: the tallies ({@link ContestResults}), bands and
     * albums by votes descending, and the votes not counted by reason. A contest without votes has
     * total 0. {@code 400} for a malformed contest id, {@code 404} for an unknown one.
     */
    void results(Context ctx) {
        Contest found = find(ctx);
        if (found != null) {
            Json.send(ctx, 200, resultsOf(found));
        }
    }

    /** {@code GET /api/contests/{contest}/results.json}: the same, as a file to download. */
    void resultsJson(Context ctx) {
        Contest found = find(ctx);
        if (found != null) {
            ContestResults results = resultsOf(found);
            attachment(ctx, found.id() + "-results.json");
            Json.send(ctx, 200, results);
        }
    }

    /**
     * {@code GET /api/contests/{contest}/results.csv}: one row per album,
     * {@code band,band_votes,album,album_votes}, by votes descending.
     */
    void resultsCsv(Context ctx) throws IOException {
        Contest found = find(ctx);
        if (found != null) {
            ContestTally tally = tally(found.id());
            ctx.status(200).contentType(CSV_TYPE);
            attachment(ctx, found.id() + "-results.csv");
            try (OutputStream out = ctx.outputStream()) {
                CsvExport.results(tally, out);
            }
        }
    }

    /**
     * {@code GET /api/contests/{contest}/logs?limit=20&cursor=...&band=...&album=...}: the latest
     * votes, newest first; {@code next} is the cursor of the following page (null on the last).
     * {@code limit} is 1 to 500 (default 20). {@code band} and {@code album} keep only the votes
     * naming them exactly; such a page reads a bounded part of the log, so it may hold fewer than
     * {@code limit} entries while {@code next} is not null. {@code 400} for a bad limit, cursor or
     * filter (an album without its band).
     */
    void logs(Context ctx) {
        Contest found = find(ctx);
        if (found == null) {
            return;
        }
        String limitParam = ctx.queryParam("limit");
        int limit;
        try {
            limit = limitParam == null ? 20 : Integer.parseInt(limitParam);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            Json.send(ctx, 400, new ApiError("bad_request", "limit", "limit must be a whole number from 1 to " + MAX_LIMIT
                    + ", not '" + limitParam + "'"));
            return;
        }
        LogFilter filter = filter(ctx, found);
        if (filter == null) {
            return;
        }
        LogPage logPage;
        try {
            logPage = log.latest(filter, limit, ctx.queryParam("cursor"));
        } catch (IllegalArgumentException e) {
            Json.send(ctx, 400, new ApiError("bad_request", "cursor", e.getMessage()));
            return;
        } catch (MongoException e) {
            throw new DependencyUnavailableException("MongoDB did not answer: " + e.getMessage(), e);
        }
        Json.send(ctx, 200, new LogPageBody(found.id(), logPage.entries().stream().map(LoggedVote::of).toList(),
                logPage.next()));
    }

    /** The body of {@code GET /api/contests/{contest}/logs}. */
    record LogPageBody(String contest, List<LoggedVote> entries, String next) {
    }

    /**
     * {@code GET /api/contests/{contest}/logs.csv?band=...&album=...}: every vote of the log (or of
     * the filter), newest first, streamed page by page: any size. Written on the exports' own
     * threads ({@link LogExports}); a closed contest's is sent from the file written for the first
     * request, for as long as its log and definition stay the same. {@code 429} with
     * {@code Retry-After} past {@code OVATION_EXPORTS_PER_ADDRESS} exports at once from the client's
     * address or {@code OVATION_EXPORTS_MAX} on the server.
     */
    void logsCsv(Context ctx) {
        Contest found = find(ctx);
        if (found == null) {
            return;
        }
        LogFilter filter = filter(ctx, found);
        if (filter == null) {
            return;
        }
        ReadLimit.Slot slot = limits.admit(ctx, limits.exports());
        if (slot == null) {
            return;
        }
        boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
        try {
            ctx.async(task -> {
                task.executor = exports.threads();
                // a large export to a slow client takes as long as it takes
                task.timeout = 0;
            }, () -> {
                try (slot) {
                    exports.send(found, filter, csvAnswer(ctx, found, gzip));
                } catch (MongoException e) {
                    throw new DependencyUnavailableException("MongoDB did not answer: " + e.getMessage(), e);
                }
            });
        } catch (RuntimeException e) {
            // not handed to the exports' threads (they are stopping): the place is free again
            slot.close();
            throw e;
        }
    }

    /** The answer an export goes to: a CSV attachment, sent as a gzip file when it is one. */
    private static LogExports.Answer csvAnswer(Context ctx, Contest contest, boolean acceptsGzip) {
        return new LogExports.Answer() {
            @Override
            public boolean acceptsGzip() {
                return acceptsGzip;
            }

            @Override
            public OutputStream start(long gzipBytes) {
                ctx.status(200).contentType(CSV_TYPE);
                attachment(ctx, contest.id() + "-log.csv");
                if (gzipBytes >= 0) {
                    // set, so that Javalin does not compress it again
                    ctx.header("Content-Encoding", "gzip");
                    ctx.header("Content-Length", Long.toString(gzipBytes));
                    ctx.header("Vary", "Accept-Encoding");
                }
                return ctx.outputStream();
            }
        };
    }

    /** Whether an {@code Accept-Encoding} header takes gzip ({@code gzip;q=0} refuses it). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!name.equals("gzip") && !name.equals("x-gzip")) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].split("=", 2);
                if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("q")) {
                    try {
                        return Double.parseDouble(parameter[1].strip()) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /**
     * {@code GET /api/contests/{contest}/votes/{id}}: was this vote counted? {@code 200} with
     * status {@code counted} or {@code rejected} (over its voter's limit), and the vote as the topic
     * holds it; {@code 404} with status {@code not_seen} when no record of the id was counted (yet,
     * or within the counters' retention of ids); {@code 400} for a malformed id; {@code 429} with
     * {@code Retry-After} past {@code OVATION_VOTE_CHECKS_PER_ADDRESS} checks at once from the
     * client's address or {@code OVATION_VOTE_CHECKS_MAX} on the server (each reads the topic, one at
     * a time).
     */
    void vote(Context ctx) {
        Contest found = find(ctx);
        if (found == null) {
            return;
        }
        String id = ctx.pathParam("id");
        if (!VOTE_ID.matcher(id).matches()) {
            Json.send(ctx, 400, new ApiError("bad_request", "id",
                    "a vote id is 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-', as on its receipt"));
            return;
        }
        ReadLimit.Slot slot = limits.admit(ctx, limits.voteChecks());
        if (slot == null) {
            return;
        }
        try (slot) {
            check(ctx, found, id);
        }
    }

    private void check(Context ctx, Contest found, String id) {
        Optional<TallyStore.SeenVote> seen;
        try {
            seen = tallies.seen(found.id(), id);
        } catch (RedisException e) {
            throw new DependencyUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
        if (seen.isEmpty()) {
            Json.send(ctx, 404, VoteCheck.notSeen(found.id(), id));
            return;
        }
        TallyStore.SeenVote decided = seen.get();
        VoteRecords.Found record = null;
        if (records != null) {
            try {
                record = records.find(decided.shard(), decided.offset(), id).orElse(null);
            } catch (KafkaException e) {
                // the decision is known; only the vote's details are missing
                LOG.warn("could not read vote {} back from the topic: {}", id, e.toString());
            }
        }
        Json.send(ctx, 200, VoteCheck.decided(found.id(), id, decided.counted(),
                record == null ? null : record.partition(), decided.offset(),
                record == null ? null : record.envelope(), found.votesPerVoter()));
    }

    private ContestResults resultsOf(Contest contest) {
        return ContestResults.of(contest, tally(contest.id()),
                deadLetters == null ? 0 : deadLetters.count(contest.id()), clock.instant());
    }

    private ContestTally tally(String contest) {
        try {
            return tallies.read(contest);
        } catch (RedisException e) {
            throw new DependencyUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }

    /** The log filter of the query ({@code band}, {@code album}), or null once a 400 is sent. */
    private static LogFilter filter(Context ctx, Contest contest) {
        String band = blankToNull(ctx.queryParam("band"));
        String album = blankToNull(ctx.queryParam("album"));
        if (album != null && band == null) {
            Json.send(ctx, 400, new ApiError("bad_request", "album", "an album filter needs its band: add band=..."));
            return null;
        }
        for (String value : new String[] {band, album}) {
            if (value != null && value.length() > VoteValidator.MAX_NAME_LENGTH) {
                Json.send(ctx, 400, new ApiError("bad_request", value == band ? "band" : "album",
                        "a band or album name is at most " + VoteValidator.MAX_NAME_LENGTH
                                + " characters"));
                return null;
            }
        }
        return new LogFilter(contest.id(), band, album);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void attachment(Context ctx, String filename) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }

    /** The contest named in the path, or null once the answer (400 or 404) is sent. */
    private Contest find(Context ctx) {
        String contest = ctx.pathParam("contest");
        if (!CONTEST.matcher(contest).matches()) {
            Json.send(ctx, 400, new ApiError("bad_request", "contest",
                    "contest must be 1 to 64 characters of a-z, 0-9, '_' or '-', not '" + contest + "'"));
            return null;
        }
        return contests.find(contest).orElseGet(() -> {
            Json.send(ctx, 404, new ApiError("unknown_contest", "contest", "there is no contest '" + contest + "'"));
            return null;
        });
    }

    /** A contest as the admin API shows it too: its definition plus its status now. */
    private ObjectNode describe(Contest contest) {
        ObjectNode node = ContestFile.JSON.valueToTree(contest);
        node.put("status", contest.statusAt(clock.instant()));
        return node;
    }

    private static byte[] resource(String name) {
        try (InputStream in = ResultsHttpApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
