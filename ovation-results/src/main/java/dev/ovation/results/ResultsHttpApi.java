package dev.ovation.results;

import dev.ovation.store.ContestTally;
import dev.ovation.store.DeadLetter;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.LogPage;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.model.ApiError;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.model.contest.ContestFile;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovation.web.DependencyUnavailableException;
import dev.ovation.web.Json;
import com.mongodb.MongoException;
import io.lettuce.core.RedisException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The public, read-only results API and the live page.
 *
 * <pre>
 * curl -s localhost:8088/api/contests/default/results
 * {"contest":"default","total":650,"duplicates":0,"bands":[{"band":"Led Zeppelin","votes":290,...}],"asOf":"..."}
 * curl -s 'localhost:8088/api/contests/default/logs?limit=20'
 * </pre>
 */
public final class ResultsHttpApi {

    /** The most log entries one page may hold. */
    public static final int MAX_LIMIT = 500;
    private static final Pattern CONTEST = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final ContestDirectory contests;
    private final TallyStore tallies;
    private final VoteLog log;
    private final Clock clock;
    private final String page;
    private final DeadLetterTopic.Reader deadLetters;

    public ResultsHttpApi(ContestDirectory contests, TallyStore tallies, VoteLog log, Clock clock) {
        this(contests, tallies, log, clock, null);
    }

    /** @param deadLetters the records the counters set aside (null: none followed) */
    public ResultsHttpApi(ContestDirectory contests, TallyStore tallies, VoteLog log, Clock clock,
                          DeadLetterTopic.Reader deadLetters) {
        this.deadLetters = deadLetters;
        this.contests = contests;
        this.tallies = tallies;
        this.log = log;
        this.clock = clock;
        this.page = loadPage();
    }

    /** Adds the routes. */
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/contests", this::listContests);
        routes.get("/api/contests/{contest}", this::contest);
        routes.get("/api/contests/{contest}/results", this::results);
        routes.get("/api/contests/{contest}/logs", this::logs);
        routes.get("/api/dead-letters", this::deadLetters);
        routes.get("/", ctx -> ctx.html(page));
    }

    /**
     * {@code GET /api/dead-letters}: the records of the votes topic the counters set aside, each
     * once: {@code {"count", "byReason": {...}, "latest": [the last 100, by position]}}.
     */
    void deadLetters(Context ctx) {
        List<DeadLetter> all = deadLetters == null ? List.of() : deadLetters.all();
        Map<String, Long> byReason = new java.util.TreeMap<>();
        all.forEach(letter -> byReason.merge(letter.reason(), 1L, Long::sum));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", all.size());
        body.put("byReason", byReason);
        body.put("latest", all.subList(Math.max(0, all.size() - 100), all.size()));
        Json.send(ctx, 200, body);
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
     * {@code GET /api/contests/{contest}/results}: the tallies, bands and albums by votes
     * descending, and the votes not counted by reason. A contest without votes has total 0.
     * {@code 400} for a malformed contest id, {@code 404} for an unknown one.
     */
    void results(Context ctx) {
        Contest found = find(ctx);
        if (found == null) {
            return;
        }
        String contest = found.id();
        ContestTally tally;
        try {
            tally = tallies.read(contest);
        } catch (RedisException e) {
            throw new DependencyUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contest", contest);
        body.put("title", found.title());
        body.put("status", found.statusAt(clock.instant()));
        body.put("total", tally.total());
        body.put("duplicates", tally.duplicates());
        body.put("rejected", tally.rejected());
        body.put("deadLetters", deadLetters == null ? 0 : deadLetters.count(contest));
        body.put("bands", tally.bands());
        body.put("asOf", clock.instant());
        Json.send(ctx, 200, body);
    }

    /**
     * {@code GET /api/contests/{contest}/logs?limit=20&cursor=...}: the latest votes, newest first;
     * {@code next} is the cursor of the following page (null on the last). {@code limit} is 1 to
     * 500 (default 20); {@code 400} for a bad limit or cursor.
     */
    void logs(Context ctx) {
        Contest found = find(ctx);
        if (found == null) {
            return;
        }
        String contest = found.id();
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
        LogPage logPage;
        try {
            logPage = log.latest(contest, limit, ctx.queryParam("cursor"));
        } catch (IllegalArgumentException e) {
            Json.send(ctx, 400, new ApiError("bad_request", "cursor", e.getMessage()));
            return;
        } catch (MongoException e) {
            throw new DependencyUnavailableException("MongoDB did not answer: " + e.getMessage(), e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contest", contest);
        body.put("entries", logPage.entries());
        body.put("next", logPage.next());
        Json.send(ctx, 200, body);
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

    private static String loadPage() {
        try (InputStream in = ResultsHttpApi.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
