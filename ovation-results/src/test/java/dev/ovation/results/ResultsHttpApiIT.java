package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.mongodb.client.MongoClient;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.store.CountOutcome;
import dev.ovation.store.LogEntry;
import dev.ovation.store.QueuedVote;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.web.Metrics;
import dev.ovation.web.SecurityHeaders;
import dev.ovation.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results API in process against a real Redis and a MongoDB-wire server: tallies summed over
 * the shards, the log newest first with a cursor, and every bad request answered with its status.
 */
class ResultsHttpApiIT {

    private static final String TOPIC = "votes";
    private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static EmbeddedRedis redisServer;
    private static EmbeddedMongo mongoServer;
    private static RedisLink redis;
    private static MongoClient mongo;
    private static WebServer http;
    private static LiveFeed feed;
    private static LogExports exports;
    private static TallyStore tallies;
    private static VoteLog log;
    private static final VoteRates RATES = new VoteRates();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        redisServer = EmbeddedRedis.start(dataDir.resolve("redis"), "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        mongoServer = EmbeddedMongo.start("127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        redis = RedisLink.open(redisServer.uri(), Duration.ofSeconds(5));
        mongo = StoreClients.mongo(mongoServer.uri());
        TallyStore tallies = new TallyStore(redis, Duration.ofHours(24), Duration.ofSeconds(5));
        VoteLog log = new VoteLog(mongo.getDatabase("results-it"));
        // five votes for "night" on partitions 0 and 17 (shards 0 and 1), one of them a duplicate id
        List<QueuedVote> votes = List.of(vote("a", "Queen", "Jazz", 0, 0), vote("b", "Queen", "Innuendo", 0, 1),
                vote("c", "Abba", "Arrival", 17, 0), vote("d", "Queen", "Jazz", 17, 1), vote("a", "Queen", "Jazz", 0, 2));
        List<CountOutcome> outcomes = tallies.count(TOPIC, votes, Map.of(), Map.of(0, 3L, 17, 2L), NOW.toEpochMilli());
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < votes.size(); i++) {
            if (outcomes.get(i).firstCount()) {
                entries.add(LogEntry.of(votes.get(i), outcomes.get(i)));
            }
        }
        log.append(TOPIC, entries, Map.of(0, 0L, 17, 0L), Map.of(0, 3L, 17, 2L));
        // two votes of one voter in "late", which counts one per voter: the second is rejected
        List<QueuedVote> late = List.of(limited("late-1", 3, 0), limited("late-2", 3, 1));
        List<CountOutcome> lateOutcomes = tallies.count(TOPIC, late, Map.of(), Map.of(3, 2L), NOW.toEpochMilli());
        log.append(TOPIC, List.of(LogEntry.of(late.get(0), lateOutcomes.get(0)), LogEntry.of(late.get(1),
                lateOutcomes.get(1))), Map.of(3, 0L), Map.of(3, 2L));
        ContestDirectory contests = new ContestDirectory() {
            private final Contest night = new Contest("night", "A night", Map.of(), null, null, Contest.SCHEDULED, 0, null);
            private final Contest lateContest = new Contest("late", "Late", Map.of(), null, null, Contest.SCHEDULED, 1,
                    null);

            @Override
            public Optional<Contest> find(String id) {
                return all().stream().filter(c -> c.id().equals(id)).findFirst();
            }

            private final Contest live = new Contest("live", "Live", Map.of(), null, null, Contest.SCHEDULED, 0, null);
            private final Contest quiet = new Contest("quiet", "Quiet", Map.of(), null, null, Contest.SCHEDULED, 0, null);

            @Override
            public List<Contest> all() {
                return List.of(night, lateContest, live, quiet);
            }
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        feed = new LiveFeed(contests, tallies, log, RATES, null, clock, new Metrics().registry()).start();
        Metrics metrics = new Metrics();
        ReadLimits limits = new ReadLimits(ResultsConfig.Reads.DEFAULTS, metrics.registry());
        exports = new LogExports(contests, log, clock, null, ResultsConfig.Reads.DEFAULTS, metrics.registry());
        ResultsHttpApi api = new ResultsHttpApi(contests, tallies, log, clock, null, null, limits, exports);
        http = WebServer.builder("results", "127.0.0.1", 0).maxRequestBytes(16 * 1024).metrics(metrics)
                .routes(api::addRoutes).front(new LiveStream(contests, feed, limits))
                .pages(new WebServer.Pages(ResultsService.PAGES)).start();
        ResultsHttpApiIT.tallies = tallies;
        ResultsHttpApiIT.log = log;
    }

    private static QueuedVote limited(String id, int partition, long offset) {
        return new QueuedVote(new VoteEnvelope(new Vote(id, "late", "Queen", "Jazz", "", "", "v1:Qx3kZ1abcdefghijklmnop"),
                "grpc", NOW.toEpochMilli() - 1_000, 1), partition, offset);
    }

    @AfterAll
    static void stop() {
        feed.close();
        http.close();
        exports.close();
        mongo.close();
        redis.close();
        mongoServer.close();
        redisServer.close();
    }

    private static QueuedVote vote(String id, String band, String album, int partition, long offset) {
        return new QueuedVote(new VoteEnvelope(new Vote(id, "night", band, album, "", "", ""), "http",
                NOW.toEpochMilli() - 1_000, 0), partition, offset);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldSumTheTalliesOfEveryShard() throws Exception {
        HttpResponse<String> answer = get("/api/contests/night/results");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("total").asLong()).isEqualTo(4);
        assertThat(body.get("duplicates").asLong()).isEqualTo(1);
        assertThat(body.get("bands").toString()).isEqualTo("[{\"band\":\"Queen\",\"votes\":3,\"albums\":["
                + "{\"album\":\"Jazz\",\"votes\":2},{\"album\":\"Innuendo\",\"votes\":1}]},"
                + "{\"band\":\"Abba\",\"votes\":1,\"albums\":[{\"album\":\"Arrival\",\"votes\":1}]}]");
        assertThat(body.get("asOf").asText()).isEqualTo("2026-12-01T20:00:00Z");
    }

    @Test
    void shouldPageThroughTheLogWithTheCursorItHandsOut() throws Exception {
        JsonNode first = JSON.readTree(get("/api/contests/night/logs?limit=3").body());
        JsonNode second = JSON.readTree(get("/api/contests/night/logs?limit=3&cursor=" + first.get("next").asText()).body());

        List<String> ids = new ArrayList<>();
        first.get("entries").forEach(e -> ids.add(e.get("id").asText()));
        second.get("entries").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).hasSize(4).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(second.get("next").isNull()).isTrue();
    }

    @Test
    void shouldAnswerEveryBadRequestWithItsStatusAndField() throws Exception {
        assertThat(get("/api/contests/finals/results").statusCode()).isEqualTo(404);
        HttpResponse<String> badId = get("/api/contests/Not%20An%20Id/results");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badId.body()).get("field").asText()).isEqualTo("contest");
        HttpResponse<String> badLimit = get("/api/contests/night/logs?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badLimit.body()).get("field").asText()).isEqualTo("limit");
        HttpResponse<String> badCursor = get("/api/contests/night/logs?cursor=not-a-cursor");
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badCursor.body()).get("field").asText()).isEqualTo("cursor");
    }

    @Test
    void shouldAnswerWhetherAVoteWasCountedRejectedOrNotSeen() throws Exception {
        HttpResponse<String> counted = get("/api/contests/night/votes/a");
        HttpResponse<String> rejected = get("/api/contests/late/votes/late-2");
        HttpResponse<String> notSeen = get("/api/contests/night/votes/never-sent");
        HttpResponse<String> otherContest = get("/api/contests/late/votes/a");

        assertThat(counted.statusCode()).isEqualTo(200);
        JsonNode countedBody = JSON.readTree(counted.body());
        assertThat(countedBody.get("status").asText()).isEqualTo("counted");
        assertThat(countedBody.get("offset").asLong()).isZero();
        assertThat(countedBody.has("reason")).isFalse();
        assertThat(countedBody.get("message").asText()).isEqualTo("Vote 'a' was counted, once. Sending it again "
                + "with the same id changes nothing: the copies are absorbed as duplicates.");
        assertThat(rejected.statusCode()).isEqualTo(200);
        JsonNode rejectedBody = JSON.readTree(rejected.body());
        assertThat(rejectedBody.get("status").asText()).isEqualTo("rejected");
        assertThat(rejectedBody.get("reason").asText()).isEqualTo("voter_limit");
        assertThat(rejectedBody.get("offset").asLong()).isEqualTo(1);
        assertThat(rejectedBody.get("message").asText()).contains("the 1 votes a voter may cast");
        assertThat(notSeen.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(notSeen.body()).get("status").asText()).isEqualTo("not_seen");
        assertThat(otherContest.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAMalformedVoteIdOrContestWhenCheckingAVote() throws Exception {
        HttpResponse<String> badId = get("/api/contests/night/votes/" + "x".repeat(129));
        HttpResponse<String> badChars = get("/api/contests/night/votes/a%20b");
        HttpResponse<String> unknown = get("/api/contests/finals/votes/a");

        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badId.body()).get("field").asText()).isEqualTo("id");
        assertThat(badChars.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown_contest");
    }

    @Test
    void shouldFilterTheLogByBandAndAlbum() throws Exception {
        JsonNode queen = JSON.readTree(get("/api/contests/night/logs?band=Queen").body());
        JsonNode jazz = JSON.readTree(get("/api/contests/night/logs?band=Queen&album=Jazz").body());
        JsonNode nobody = JSON.readTree(get("/api/contests/night/logs?band=Nobody").body());
        HttpResponse<String> albumAlone = get("/api/contests/night/logs?album=Jazz");
        HttpResponse<String> tooLong = get("/api/contests/night/logs?band=" + "x".repeat(201));

        assertThat(ids(queen)).containsExactlyInAnyOrder("a", "b", "d");
        assertThat(ids(jazz)).containsExactlyInAnyOrder("a", "d");
        assertThat(ids(nobody)).isEmpty();
        assertThat(nobody.get("next").isNull()).isTrue();
        assertThat(albumAlone.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(albumAlone.body()).get("field").asText()).isEqualTo("album");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).get("field").asText()).isEqualTo("band");
    }

    @Test
    void shouldShowVotersMaskedInTheLog() throws Exception {
        JsonNode late = JSON.readTree(get("/api/contests/late/logs").body());

        assertThat(late.get("entries")).hasSize(2).allSatisfy(e -> assertThat(e.get("voter").asText()).isEqualTo("Qx3k…"));
        assertThat(late.toString()).doesNotContain("Qx3kZ1");
        assertThat(JSON.readTree(get("/api/contests/night/logs").body()).get("entries").get(0).get("voter").isNull())
                .isTrue();
    }

    @Test
    void shouldExportResultsAsCsvAndJsonAndTheLogAsCsv() throws Exception {
        HttpResponse<String> csv = get("/api/contests/night/results.csv");
        HttpResponse<String> json = get("/api/contests/night/results.json");
        HttpResponse<String> logCsv = get("/api/contests/late/logs.csv");
        HttpResponse<String> jazzCsv = get("/api/contests/night/logs.csv?band=Queen&album=Jazz");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"night-results.csv\"");
        assertThat(csv.body()).isEqualTo("band,band_votes,album,album_votes\nQueen,3,Jazz,2\nQueen,3,Innuendo,1\n"
                + "Abba,1,Arrival,1\n");
        assertThat(json.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"night-results.json\"");
        assertThat(JSON.readTree(json.body()).get("total").asLong()).isEqualTo(4);
        assertThat(logCsv.body()).isEqualTo("counted_at,received_at,id,band,album,year,rank,protocol,voter,status,"
                + "reason,partition,offset\n"
                + "2026-12-01T20:00:00Z,2026-12-01T19:59:59Z,late-2,Queen,Jazz,,,grpc,Qx3k…,rejected,voter_limit,3,1\n"
                + "2026-12-01T20:00:00Z,2026-12-01T19:59:59Z,late-1,Queen,Jazz,,,grpc,Qx3k…,counted,,3,0\n");
        assertThat(jazzCsv.body().lines().skip(1).map(line -> line.split(",")[2])).containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void shouldPutSecurityHeadersOnPagesApiAnswersAndErrors() throws Exception {
        for (String path : List.of("/", "/app.js", "/js/log.js", "/api/contests", "/api/contests/finals/results", "/nowhere",
                "/api/contests/finals/stream")) {
            HttpResponse<String> answer = get(path);
            assertThat(answer.headers().firstValue("content-security-policy")).as(path)
                    .hasValue(SecurityHeaders.PAGES_POLICY);
            assertThat(answer.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
            assertThat(answer.headers().firstValue("referrer-policy")).as(path).hasValue("no-referrer");
            assertThat(answer.headers().firstValue("x-frame-options")).as(path).hasValue("DENY");
        }
        assertThat(SecurityHeaders.PAGES_POLICY).contains("script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe");
    }

    @Test
    void shouldServeThePageAndItsLibrariesFromTheServerItself() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        Matcher sources = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> assets = new ArrayList<>();
        while (sources.find()) {
            assets.add(sources.group(1));
        }
        assertThat(assets).contains("/webjars/vue/3.5.26/dist/vue.runtime.global.prod.js",
                "/webjars/chart.js/4.5.1/dist/chart.umd.min.js", "/app.js", "/app.css");
        for (String asset : assets) {
            if (asset.startsWith("data:")) {
                continue;
            }
            assertThat(asset).as("served by this server").startsWith("/");
            assertThat(get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=\"");
    }

    @Test
    void shouldServeEveryModuleOfThePageScriptAsJavaScriptThatIsCheckedOnEachLoad() throws Exception {
        // Given the page's entry module, loaded as <script type="module">
        assertThat(get("/").body()).contains("<script type=\"module\" src=\"/app.js\"></script>");
        Pattern imports = Pattern.compile("(?m)^import [^;]*? from '(\\.{1,2}/[^']+\\.js)';$");
        Deque<URI> toLoad = new ArrayDeque<>(List.of(URI.create("/app.js")));
        Set<String> loaded = new TreeSet<>();

        // When every module it imports, directly or not, is fetched as the browser would
        while (!toLoad.isEmpty()) {
            URI module = toLoad.pop();
            if (!loaded.add(module.getPath())) {
                continue;
            }
            HttpResponse<String> answer = get(module.getPath());

            // Then each is there, with a JavaScript type (a module script of another type does not
            // run), revalidated on each load, under the pages' policy
            assertThat(answer.statusCode()).as(module.getPath()).isEqualTo(200);
            assertThat(answer.headers().firstValue("content-type").orElseThrow()).as(module.getPath())
                    .startsWith("text/javascript");
            assertThat(answer.headers().firstValue("cache-control")).as(module.getPath()).hasValue("no-cache");
            assertThat(answer.headers().firstValue("content-security-policy")).as(module.getPath())
                    .hasValue(SecurityHeaders.PAGES_POLICY);
            Matcher imported = imports.matcher(answer.body());
            while (imported.find()) {
                toLoad.push(module.resolve(imported.group(1)));
            }
        }
        assertThat(loaded).contains("/app.js", "/js/api.js", "/js/log.js", "/js/stream.js", "/js/view/page.js",
                "/js/view/vue.js").hasSizeGreaterThan(15);
    }

    @Test
    void shouldPushTheWholePictureThenEachNewVoteToALivePage() throws Exception {
        // Given a page watching contest "live", which has no votes yet
        BlockingQueue<JsonNode> updates = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + "/api/contests/live/stream")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        Thread reader = new Thread(() -> stream.body().forEach(line -> {
            if (line.startsWith("data: ")) {
                try {
                    updates.add(JSON.readTree(line.substring(6)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        reader.setDaemon(true);
        reader.start();
        JsonNode first = updates.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.get("first").asBoolean()).isTrue();
        assertThat(first.get("results").get("total").asLong()).isZero();
        assertThat(first.get("entries")).isEmpty();

        // When two votes are counted and logged
        List<QueuedVote> votes = List.of(liveVote("live-1", 0), liveVote("live-2", 1));
        List<CountOutcome> outcomes = tallies.count(TOPIC, votes, Map.of(), Map.of(5, 2L), NOW.toEpochMilli());
        log.append(TOPIC, List.of(LogEntry.of(votes.get(0), outcomes.get(0)), LogEntry.of(votes.get(1), outcomes.get(1))),
                Map.of(5, 0L), Map.of(5, 2L));

        // Then the page is pushed the new total and exactly those two entries, newest first, once
        List<String> pushed = new ArrayList<>();
        long total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((total < 2 || pushed.size() < 2) && System.nanoTime() < deadline) {
            JsonNode update = updates.poll(1, TimeUnit.SECONDS);
            if (update == null) {
                continue;
            }
            assertThat(update.get("first").asBoolean()).isFalse();
            if (update.has("results")) {
                total = update.get("results").get("total").asLong();
            }
            update.get("entries").forEach(e -> pushed.add(e.get("id").asText()));
        }
        assertThat(total).isEqualTo(2);
        assertThat(pushed).containsExactly("live-2", "live-1");
        stream.body().close();
    }

    @Test
    void shouldSendAnIdleStreamNoUpdateUntilTheRateChanges() throws Exception {
        // Given contest "quiet", without votes, whose total was sampled twice (one rate point, 0 votes/s)
        Instant start = NOW.plusSeconds(60);
        RATES.record("quiet", start, 0);
        RATES.record("quiet", start.plusSeconds(1), 0);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + "/api/contests/quiet/stream")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> stream.body().filter(line -> line.startsWith("data: "))
                .forEach(line -> events.add(line.substring(6))));
        reader.setDaemon(true);
        reader.start();
        JsonNode first = JSON.readTree(events.poll(10, TimeUnit.SECONDS));
        assertThat(first.get("first").asBoolean()).isTrue();
        assertThat(first.get("rate").toString()).isEqualTo("[{\"at\":\"2026-12-01T20:01:01Z\",\"votes\":0.0}]");

        // When a second a sample says 0 again, for three seconds
        for (int second = 2; second <= 4; second++) {
            RATES.record("quiet", start.plusSeconds(second), 0);
        }

        // Then no update is sent (the feed looks every 250 ms)
        assertThat(events.poll(1_500, TimeUnit.MILLISECONDS)).isNull();

        // And when 30 votes are counted in the next second, the update holds the end of the idle stretch and the change
        RATES.record("quiet", start.plusSeconds(5), 30);
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"first\":false,\"entries\":[],\"rate\":["
                + "{\"at\":\"2026-12-01T20:01:04Z\",\"votes\":0.0},{\"at\":\"2026-12-01T20:01:05Z\",\"votes\":30.0}]}");
        stream.body().close();
    }

    @Test
    void shouldTellAVoteSentToTheResultsPortWhereVotesGo() throws Exception {
        for (String path : List.of("/api/votes", "/api/votes/batch")) {
            // When a vote is posted to the results server instead of the ingest
            HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
                            + path)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"band\":\"Queen\",\"album\":\"Jazz\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // Then it is told, in the error body, where votes go
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("content-type")).as(path).hasValue("application/json");
            assertThat(answer.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"this is the results server,"
                    + " which takes no votes: POST " + path + " to the ingest instead, on its HTTP port: 8080 unless"
                    + " OVATION_HTTP_PORT (or the standalone's --http-port) says otherwise, as in"
                    + " http://<ingest host>:8080" + path + "\"}");
        }
    }

    @Test
    void shouldRefuseAStreamOfAnUnknownContestOrAnotherMethod() throws Exception {
        HttpResponse<String> unknown = get("/api/contests/finals/stream");
        HttpResponse<String> malformed = get("/api/contests/Finals/stream");
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
                + "/api/contests/live/stream")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown_contest");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldDescribeEveryPathItServesInItsOpenApiFile() throws Exception {
        HttpResponse<String> spec = get("/api/openapi.yaml");
        assertThat(spec.statusCode()).isEqualTo(200);
        JsonNode paths = new YAMLMapper().readTree(spec.body()).get("paths");
        List<String> described = new ArrayList<>();
        paths.fieldNames().forEachRemaining(described::add);

        assertThat(described).containsExactlyInAnyOrder("/api/contests", "/api/contests/{contest}",
                "/api/contests/{contest}/results", "/api/contests/{contest}/results.json",
                "/api/contests/{contest}/results.csv", "/api/contests/{contest}/logs",
                "/api/contests/{contest}/logs.csv", "/api/contests/{contest}/votes/{id}",
                "/api/contests/{contest}/stream", "/api/dead-letters", "/api/openapi.yaml", "/", "/health/live",
                "/health/ready", "/metrics");
        for (String path : described) {
            if (path.endsWith("/stream")) {
                continue;
            }
            HttpResponse<String> answer = get(path.replace("{contest}", "night").replace("{id}", "a"));
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
        }
    }

    private static QueuedVote liveVote(String id, long offset) {
        return new QueuedVote(new VoteEnvelope(new Vote(id, "live", "Queen", "Jazz", "", "", ""), "http",
                NOW.toEpochMilli() - 1_000, 0), 5, offset);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("entries").forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }
}
