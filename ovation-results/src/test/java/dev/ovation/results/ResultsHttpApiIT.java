package dev.ovation.results;

import dev.ovation.web.Metrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        ContestDirectory contests = new ContestDirectory() {
            private final Contest night = new Contest("night", "A night", Map.of(), null, null, Contest.SCHEDULED, 0, null);

            @Override
            public Optional<Contest> find(String id) {
                return id.equals("night") ? Optional.of(night) : Optional.empty();
            }

            @Override
            public List<Contest> all() {
                return List.of(night);
            }
        };
        ResultsHttpApi api = new ResultsHttpApi(contests, tallies, log, Clock.fixed(NOW, ZoneOffset.UTC));
        http = WebServer.start("results", "127.0.0.1", 0, 16 * 1024, List.of(), new Metrics(), api::addRoutes);
    }

    @AfterAll
    static void stop() {
        http.close();
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
}
