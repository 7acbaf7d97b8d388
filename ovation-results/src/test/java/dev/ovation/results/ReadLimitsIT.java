package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.store.LogEntry;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.web.Metrics;
import dev.ovation.web.WebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results API's bounds on heavy reads, in process against a real Redis and a MongoDB-wire
 * server: past its bound an address is answered {@code 429} with {@code Retry-After} while other
 * addresses are served, and a closed contest's export is written once and then sent from the cache,
 * byte for byte, until its log grows.
 */
class ReadLimitsIT {

    private static final String TOPIC = "votes";
    private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
    /** Names long enough that the open contest's export (8 MB) cannot fit in the sockets' buffers. */
    private static final String LONG = "x".repeat(150);
    private static final int NIGHT_ENTRIES = 20_000;
    private static final int FINALS_ENTRIES = 2_000;
    /** Another client, behind this machine as a trusted proxy. */
    private static final String OTHER_CLIENT = "203.0.113.7";

    @TempDir
    static Path dataDir;

    private static EmbeddedRedis redisServer;
    private static EmbeddedMongo mongoServer;
    private static RedisLink redis;
    private static MongoClient mongo;
    private static VoteLog log;
    private static Metrics metrics;
    private static LiveFeed feed;
    private static LogExports exports;
    private static WebServer http;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        redisServer = EmbeddedRedis.start(dataDir.resolve("redis"), "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        mongoServer = EmbeddedMongo.start("127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        redis = RedisLink.open(redisServer.uri(), Duration.ofSeconds(5));
        mongo = StoreClients.mongo(mongoServer.uri());
        TallyStore tallies = new TallyStore(redis, Duration.ofHours(24), Duration.ofSeconds(5));
        log = new VoteLog(mongo.getDatabase("read-limits-it"));
        log.append(TOPIC, entries("night", 0, 0, NIGHT_ENTRIES), Map.of(0, 0L), Map.of(0, (long) NIGHT_ENTRIES));
        log.append(TOPIC, entries("finals", 1, 0, FINALS_ENTRIES), Map.of(1, 0L), Map.of(1, (long) FINALS_ENTRIES));
        Contest night = new Contest("night", "Open all night", Map.of(), null, null, Contest.SCHEDULED, 0, null);
        Contest finals = new Contest("finals", "Closed an hour ago", Map.of(), null, NOW.minusSeconds(3_600),
                Contest.SCHEDULED, 0, null);
        ContestDirectory contests = new ContestDirectory() {
            @Override
            public Optional<Contest> find(String id) {
                return all().stream().filter(c -> c.id().equals(id)).findFirst();
            }

            @Override
            public List<Contest> all() {
                return List.of(finals, night);
            }
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Path cacheDir = Files.createDirectories(dataDir.resolve("exports"));
        // exports as fast as they go: the test of the bounds wants its exports done quickly
        ResultsConfig.Reads reads = new ResultsConfig.Reads("127.0.0.1", new ResultsConfig.Bounds(4, 1),
                new ResultsConfig.Bounds(16, 4), new ResultsConfig.Bounds(10, 2), 0, 16L << 20, cacheDir);
        metrics = new Metrics();
        ReadLimits limits = new ReadLimits(reads, metrics.registry());
        feed = new LiveFeed(contests, tallies, log, new VoteRates(), null, clock, metrics.registry()).start();
        exports = new LogExports(contests, log, clock, ExportCache.open(cacheDir, reads.exportCacheBytes()), reads,
                metrics.registry());
        ResultsHttpApi api = new ResultsHttpApi(contests, tallies, log, clock, null, null, limits, exports);
        http = WebServer.builder("results", "127.0.0.1", 0).maxRequestBytes(16 * 1024).metrics(metrics)
                .routes(api::addRoutes).front(new LiveStream(contests, feed, limits)).start();
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

    @Test
    void shouldRefuseAnExportPastTheBoundOfItsAddressWithRetryAfterWhileOtherAddressesAreServed() throws Exception {
        // Given a client of 127.0.0.1 whose export is in progress: it reads nothing, so the export waits
        try (Socket slowReader = new Socket()) {
            slowReader.setReceiveBufferSize(4_096);
            slowReader.connect(new InetSocketAddress("127.0.0.1", http.port()));
            slowReader.getOutputStream().write(("GET /api/contests/night/logs.csv HTTP/1.1\r\nHost: results\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).until(() -> exportsInProgress() == 1.0);

            // When the same address asks for another export
            HttpResponse<String> refused = get("/api/contests/night/logs.csv", Map.of());

            // Then it is refused at once, with when to retry, in the API's error body
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
            assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(refused.body()).isEqualTo("{\"error\":\"rate_limited\",\"message\":\"too many log exports at "
                    + "once from address 127.0.0.1: at most 1; retry after 5 s\"}");
            // And another client, named by the trusted proxy, gets its whole export meanwhile
            HttpResponse<String> other = get("/api/contests/night/logs.csv", Map.of("X-Forwarded-For", OTHER_CLIENT));
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body().lines().count()).isEqualTo(NIGHT_ENTRIES + 1);
            assertThat(exportsRefused("address")).isEqualTo(1.0);
        }

        // When the slow client goes away, Then its address is served again
        await().atMost(Duration.ofSeconds(25)).until(() -> exportsInProgress() == 0.0);
        // (a band nobody voted for: the whole log is read, only the header sent)
        HttpResponse<String> again = get("/api/contests/night/logs.csv?band=" + LONG.replace("x", "y"), Map.of());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("counted_at,received_at,id,band,album,year,rank,protocol,voter,status,"
                + "reason,partition,offset\n");
    }

    @Test
    void shouldRefuseALiveStreamPastTheBoundOfItsAddressUntilOneCloses() throws Exception {
        // Given two live pages open from 127.0.0.1, its bound
        HttpResponse<Stream<String>> first = stream(Map.of());
        HttpResponse<Stream<String>> second = stream(Map.of());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);

        // When a third opens, Then it is refused with when to retry, while another address opens one
        HttpResponse<String> third = get("/api/contests/night/stream", Map.of());
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).hasValue("10");
        assertThat(third.body()).isEqualTo("{\"error\":\"rate_limited\",\"message\":\"too many live streams at once "
                + "from address 127.0.0.1: at most 2; retry after 10 s\"}");
        HttpResponse<Stream<String>> other = stream(Map.of("X-Forwarded-For", OTHER_CLIENT));
        assertThat(other.statusCode()).isEqualTo(200);

        // When one page closes, Then its place is free again once the server notices
        first.body().close();
        await().atMost(Duration.ofSeconds(30)).until(() -> streamsInProgress() == 2.0);
        HttpResponse<Stream<String>> reopened = stream(Map.of());
        assertThat(reopened.statusCode()).isEqualTo(200);
        for (HttpResponse<Stream<String>> open : List.of(second, other, reopened)) {
            open.body().close();
        }
    }

    @Test
    void shouldSendAClosedContestsExportFromTheCacheByteForByteUntilItsLogGrows() throws Exception {
        // Given a contest that closed an hour ago
        double written = cacheRequests("written");
        double hits = cacheRequests("hit");

        // When its log is exported three times, the last by a client that takes gzip
        HttpResponse<byte[]> first = getBytes("/api/contests/finals/logs.csv", Map.of());
        HttpResponse<byte[]> second = getBytes("/api/contests/finals/logs.csv", Map.of());
        HttpResponse<byte[]> gzipped = getBytes("/api/contests/finals/logs.csv", Map.of("Accept-Encoding", "gzip"));

        // Then it was written once and sent three times, the same bytes each time
        assertThat(cacheRequests("written") - written).isEqualTo(1.0);
        assertThat(cacheRequests("hit") - hits).isEqualTo(2.0);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(first.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"finals-log.csv\"");
        assertThat(new String(first.body(), StandardCharsets.UTF_8).lines().count()).isEqualTo(FINALS_ENTRIES + 1);
        assertThat(new String(first.body(), StandardCharsets.UTF_8).lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("2026-12-01T18:33:19.999Z,2026-12-01T18:33:18.999Z,finals-1999,\"" + LONG + "\",\"" + LONG
                        + "\",,,http,,counted,,1,1999");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValueAsLong("content-length")).hasValue(gzipped.body().length);
        assertThat(gunzip(gzipped.body())).isEqualTo(first.body());

        // When a vote acknowledged before the close is counted late
        LogEntry late = entry("finals", 1, FINALS_ENTRIES, NOW.minusSeconds(60), "late-vote");
        log.append(TOPIC, List.of(late), Map.of(1, (long) FINALS_ENTRIES), Map.of(1, FINALS_ENTRIES + 1L));
        HttpResponse<byte[]> afterLate = getBytes("/api/contests/finals/logs.csv", Map.of());

        // Then the next export is written again and holds it, newest first
        assertThat(cacheRequests("written") - written).isEqualTo(2.0);
        List<String> lines = new String(afterLate.body(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(FINALS_ENTRIES + 2);
        assertThat(lines.get(1)).contains(",late-vote,");
        assertThat(lines.subList(2, lines.size()))
                .isEqualTo(new String(first.body(), StandardCharsets.UTF_8).lines().skip(1).toList());
    }

    private static List<LogEntry> entries(String contest, int partition, int from, int count) {
        List<LogEntry> entries = new ArrayList<>();
        Instant start = NOW.minus(Duration.ofHours(2));
        for (int offset = from; offset < from + count; offset++) {
            entries.add(entry(contest, partition, offset, start.plusSeconds(offset), contest + "-" + offset));
        }
        return entries;
    }

    private static LogEntry entry(String contest, int partition, long offset, Instant countedAt, String id) {
        return new LogEntry(id, contest, LONG, LONG, "", "", "", "http", countedAt.minusSeconds(1).plusMillis(999),
                countedAt.plusMillis(999), "counted", null, partition, offset);
    }

    private static double exportsInProgress() {
        return metrics.registry().get("ovation.reads.in.progress").tag("read", "export").gauge().value();
    }

    private static double streamsInProgress() {
        return metrics.registry().get("ovation.reads.in.progress").tag("read", "stream").gauge().value();
    }

    private static double exportsRefused(String bound) {
        return metrics.registry().get("ovation.reads.refused").tag("read", "export").tag("bound", bound).counter()
                .count();
    }

    private static double cacheRequests(String outcome) {
        return metrics.registry().get("ovation.export.cache.requests").tag("outcome", outcome).counter().count();
    }

    private static HttpRequest request(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        headers.forEach(request::header);
        return request.build();
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return CLIENT.send(request(path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) throws Exception {
        return CLIENT.send(request(path, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<Stream<String>> stream(Map<String, String> headers) throws Exception {
        return CLIENT.send(request("/api/contests/night/stream", headers), HttpResponse.BodyHandlers.ofLines());
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
