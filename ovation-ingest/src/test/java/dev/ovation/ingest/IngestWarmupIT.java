package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Env;
import dev.ovation.store.VotesTopic;
import dev.ovation.web.Metrics;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest warms up before it says it is ready: its twin takes votes of every kind into the
 * warm-up's topic while {@code /health/ready} and the gRPC health service say it is warming up,
 * the votes topic and the ingest's meters stay untouched, and a warm-up that cannot reach Kafka
 * leaves the ingest not ready, saying why.
 */
class IngestWarmupIT {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldStayNotReadyWhileWarmingUpAndPublishNothingToTheVotesTopic() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
             Metrics metrics = new Metrics();
             IngestService ingest = IngestService.start(config(kafka), metrics, Duration.ofSeconds(4), List.of())) {
            // Given an ingest just started: warming up, and saying so over HTTP and gRPC
            HttpResponse<String> warming = ready(ingest);
            assertThat(warming.statusCode()).isEqualTo(503);
            assertThat(warming.body()).contains("\"warmup\":\"DOWN: ").contains("warming up");
            assertThat(IngestProbes.grpcHealth(ingest.grpcPort())).isEqualTo(ServingStatus.NOT_SERVING);

            // When the warm-up ends (its longest time, or the JIT settled)
            assertThat(ingest.awaitWarm(Duration.ofSeconds(60))).isTrue();

            // Then the ingest is ready on both ports
            assertThat(ready(ingest).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(IngestProbes.grpcHealth(ingest.grpcPort())).isEqualTo(ServingStatus.SERVING));
            // and its votes went to the warm-up's topic only: none to the votes topic, none in the meters
            assertThat(IngestProbes.records(kafka, "votes.warmup")).isGreaterThan(0);
            assertThat(IngestProbes.records(kafka, VotesTopic.DEFAULT_NAME)).isZero();
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.managementPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("ovation_votes_accepted_total{protocol=\"http\"} 0.0")
                    .contains("ovation_votes_accepted_total{protocol=\"grpc\"} 0.0")
                    .doesNotContain("ovation-warmup");
        }
    }

    @Test
    void shouldStayNotReadyAndSayWhyWhenTheWarmupCannotReachKafka() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        try (Metrics metrics = new Metrics();
             IngestService ingest = IngestService.start(config(kafka), metrics, Duration.ofSeconds(120), List.of())) {
            // Given a warm-up under way
            // When Kafka stops
            kafka.close();

            // Then the ingest stays not ready, naming the warm-up's failure and Kafka
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> answer = ready(ingest);
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.body()).contains("the warm-up failed, trying again in 5 s")
                        .contains("Kafka");
            });
            assertThat(ingest.awaitWarm(Duration.ZERO)).isFalse();
            assertThat(IngestProbes.grpcHealth(ingest.grpcPort())).isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    private static IngestConfig config(EmbeddedKafka kafka) {
        return IngestConfig.from(new Env(Map.of(
                "OVATION_KAFKA", kafka.bootstrapServers(),
                "OVATION_HOST", "127.0.0.1",
                "OVATION_HTTP_PORT", "0",
                "OVATION_GRPC_PORT", "0",
                "OVATION_MANAGEMENT_PORT", "0",
                "OVATION_ACK_TIMEOUT_MS", "1500")));
    }

    private HttpResponse<String> ready(IngestService ingest) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.httpPort() + "/health/ready"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
