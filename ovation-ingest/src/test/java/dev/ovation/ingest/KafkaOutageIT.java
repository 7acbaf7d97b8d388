package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Env;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import dev.ovation.web.Metrics;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While Kafka is down the ingest acknowledges nothing: it answers 503 / UNAVAILABLE within the
 * acknowledgement timeout, its HTTP and gRPC health say so, its metrics count the refusals, and it
 * takes votes again by itself once Kafka is back.
 */
class KafkaOutageIT {

    private static final String VOTE = "{\"band\":\"Queen\",\"album\":\"Jazz\"}";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswerUnavailableWhileKafkaIsDownAndRecoverByItself() throws Exception {
        int kafkaPort = LocalPorts.pickFree("127.0.0.1");
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", kafkaPort);
        IngestConfig config = IngestConfig.from(new Env(Map.of(
                "OVATION_KAFKA", kafka.bootstrapServers(),
                "OVATION_HOST", "127.0.0.1",
                "OVATION_HTTP_PORT", "0",
                "OVATION_GRPC_PORT", "0",
                "OVATION_MANAGEMENT_PORT", "0",
                "OVATION_ACK_TIMEOUT_MS", "1500")));
        try (Metrics metrics = new Metrics(); IngestService ingest = IngestService.start(config, metrics)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ingest.grpcPort()).usePlaintext().build();
            VoteServiceGrpc.VoteServiceBlockingStub grpc = VoteServiceGrpc.newBlockingStub(channel);
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            try {
                // Given a working pipeline
                assertThat(post(ingest, VOTE).statusCode()).isEqualTo(202);
                assertThat(grpcHealth(health, "")).isEqualTo(ServingStatus.SERVING);

                // When Kafka stops
                kafka.close();

                // Then votes are refused, quickly, and said to be not stored
                long started = System.nanoTime();
                HttpResponse<String> refused = post(ingest, VOTE);
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(refused.body()).as("Kafka's own words stay in the log").doesNotContain("Exception");
                assertThat(refused.body()).contains("\"error\":\"unavailable\"")
                        .contains("it may not have been stored: retry with the same id, it will count once")
                        .containsPattern("\"id\":\"[0-9a-f-]{36}\"");
                assertThat(tookMillis).as("bounded by the 1500 ms acknowledgement timeout").isLessThan(10_000);
                assertThatThrownBy(() -> grpc.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .cast(Vote.newBuilder().setBand("Queen").setAlbum("Jazz").build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
                assertThat(get(ingest, "/health/ready").statusCode()).isEqualTo(503);
                // And the gRPC health service follows the readiness checks
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(grpcHealth(health, "")).isEqualTo(ServingStatus.NOT_SERVING);
                    assertThat(grpcHealth(health, "ovation.v1.VoteService")).isEqualTo(ServingStatus.NOT_SERVING);
                });
                // And the metrics say what happened
                String scraped = get(ingest, "/metrics").body();
                assertThat(scraped).contains("ovation_votes_accepted_total{protocol=\"http\"} 1.0")
                        .contains("ovation_votes_refused_total{protocol=\"http\",reason=\"unavailable\"} 1.0")
                        .contains("ovation_votes_refused_total{protocol=\"grpc\",reason=\"unavailable\"} 1.0")
                        .contains("ovation_vote_ack_seconds_count{protocol=\"http\"} 1")
                        .containsPattern("ovation_publish_failures_total\\{reason=\"(timeout|kafka)\"} [12]\\.0");

                // And when Kafka is back, the ingest takes votes again without a restart
                kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", kafkaPort);
                await().atMost(Duration.ofSeconds(60)).until(() -> post(ingest, VOTE).statusCode() == 202);
                assertThat(get(ingest, "/health/ready").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> grpcHealth(health, "ovation.v1.VoteService") == ServingStatus.SERVING);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            kafka.close();
        }
    }

    private static ServingStatus grpcHealth(HealthGrpc.HealthBlockingStub health, String service) {
        return health.withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private HttpResponse<String> post(IngestService ingest, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.httpPort() + "/api/votes"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(IngestService ingest, String path) throws Exception {
        // health and metrics: the management port
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.managementPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
