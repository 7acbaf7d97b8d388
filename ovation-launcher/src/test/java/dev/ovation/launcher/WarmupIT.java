package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.ovation.infra.InfraSettings;
import dev.ovation.model.Env;
import dev.ovation.store.RedisLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone warms up its ingest and its counter before it says it is ready, and nothing of the
 * warm-up's votes is seen or kept anywhere a person or a recount looks: no contest, total, log
 * entry, export, meter or record of the votes topic; only the warm-up's own topic holds them. The
 * tests run in order: the last sends real votes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmupIT {

    private static final String WARMUP = "ovation-warmup";

    @TempDir
    static Path dataDir;

    private static Standalone ovation;
    private static OvationClients clients;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startAndWarmUp() throws Exception {
        ovation = Standalone.start(new Env(Map.of("OVATION_WARMUP_SECONDS", "3")), InfraSettings.onFreePorts(dataDir),
                "127.0.0.1", 0, 0, 0, 0);
        clients = new OvationClients(ovation.httpPort(), ovation.grpcPort(), ovation.resultsPort());
        assertThat(ovation.awaitWarm(Duration.ofSeconds(90))).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (ovation != null) {
            ovation.close();
        }
    }

    @Test
    @Order(1)
    void shouldBeReadyOnceWarmWithTheWarmupsVotesInTheWarmupTopicOnly() {
        assertThat(clients.getIngest("/health/ready").status()).isEqualTo(200);
        assertThat(records("votes.warmup")).as("the warm-up ran").isGreaterThan(1_000);
        assertThat(records("votes")).as("what a recount replays").isZero();
    }

    @Test
    @Order(2)
    void shouldShowNoWarmupContestTotalLogOrExport() {
        assertThat(clients.getResults("/api/contests").body().toString()).doesNotContain(WARMUP);
        assertThat(clients.getResults("/api/contests/" + WARMUP + "/results").status()).isEqualTo(404);
        assertThat(clients.getResults("/api/contests/" + WARMUP + "/logs").status()).isEqualTo(404);
        assertThat(clients.getResults("/api/contests/default/results").body().get("total").asLong()).isZero();
        assertThat(text(ovation.resultsPort(), "/api/contests/default/logs.csv").lines().count())
                .as("the header only").isEqualTo(1);
        assertThat(text(ovation.resultsPort(), "/api/contests/default/results.csv")).doesNotContain("Warm-up");
    }

    @Test
    @Order(3)
    void shouldKeepNoTallySeenIdVoterOrLogEntryOfTheWarmup() throws Exception {
        try (RedisLink redis = RedisLink.open(ovation.infra().redisUri(), Duration.ofSeconds(10))) {
            assertThat(redis.sync().keys("*" + WARMUP + "*")).isEmpty();
            // the warm-up's topic positions stay, so that the next warm-up starts where this one ended
            assertThat(redis.sync().keys("*votes.warmup*")).allMatch(key -> key.contains(":pos:votes.warmup/"));
        }
        try (MongoClient mongo = MongoClients.create(ovation.infra().mongoUri())) {
            MongoDatabase log = mongo.getDatabase("ovation");
            assertThat(log.getCollection("log_heads").countDocuments(Filters.eq("_id", WARMUP))).isZero();
            assertThat(log.getCollection("log_buckets").countDocuments(Filters.regex("_id",
                    Pattern.compile("^" + Pattern.quote("votes.warmup/"))))).isZero();
        }
    }

    @Test
    @Order(4)
    void shouldCountNoWarmupVoteInAnyMeter() {
        for (int port : List.of(ovation.httpPort(), ovation.counterPort(), ovation.resultsPort())) {
            String scrape = text(port, "/metrics");
            assertThat(scrape).doesNotContain(WARMUP).doesNotContain("votes.warmup");
            assertThat(scrape).contains("ovation_votes_accepted_total{protocol=\"http\"} 0.0")
                    .contains("ovation_votes_accepted_total{protocol=\"grpc-stream\"} 0.0");
        }
    }

    @Test
    @Order(5)
    void shouldRefuseVotesForTheWarmupContestOnceReadyAndCountRealOnesExactly() {
        // Given a ready standalone
        // When a client names the warm-up's contest
        OvationClients.Answer refused = clients.postNow("/api/votes",
                "{\"contest\":\"" + WARMUP + "\",\"band\":\"Queen\",\"album\":\"Jazz\"}");
        // Then it is an unknown contest, as for any contest that does not exist
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.body().get("error").asText()).isEqualTo("unknown_contest");

        // And real votes are counted exactly, beside the warm-up's leftovers
        for (int i = 0; i < 20; i++) {
            assertThat(clients.postNow("/api/votes", "{\"band\":\"Queen\",\"album\":\"Jazz\"}").status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                clients.getResults("/api/contests/default/results").body().get("total").asLong() == 20);
        assertThat(records("votes")).isEqualTo(20);
    }

    private static String text(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records in a topic: the sum of its partitions' end offsets. */
    private static long records(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ovation.infra().kafkaBootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }
}
