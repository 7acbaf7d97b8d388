package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Env;
import dev.ovation.store.VotesTopic;
import dev.ovation.web.Metrics;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only operators need is on the management port, and a stopping ingest drops no vote: it
 * says it is not ready while it still takes votes, then answers those in flight before it goes.
 */
class IngestStopIT {

    private static final String VOTE = "{\"band\":\"Queen\",\"album\":\"Jazz\"}";
    private static final String TOKEN = "t0ken-of-the-admin";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeMetricsAndTheAdminApiOnlyOnTheManagementPort() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
             Metrics metrics = new Metrics();
             IngestService ingest = IngestService.start(config(kafka, 0), metrics)) {
            int publicPort = ingest.httpPort();
            int managementPort = ingest.managementPort();
            assertThat(managementPort).isNotEqualTo(publicPort);

            // The public port takes votes and answers health, but has no metrics and no admin API
            assertThat(send(publicPort, "POST", "/api/votes", VOTE).statusCode()).isEqualTo(202);
            assertThat(send(publicPort, "GET", "/health/ready", null).statusCode()).isEqualTo(200);
            HttpResponse<String> metricsOnPublic = send(publicPort, "GET", "/metrics", null);
            assertThat(metricsOnPublic.statusCode()).isEqualTo(404);
            assertThat(metricsOnPublic.body()).isEqualTo(
                    "{\"error\":\"not_found\",\"message\":\"no endpoint GET /metrics\"}");
            assertThat(send(publicPort, "GET", "/api/admin/contests", null).statusCode()).isEqualTo(404);

            // The management port serves them, and health, and takes no vote
            assertThat(send(managementPort, "GET", "/metrics", null).body())
                    .contains("ovation_votes_accepted_total{protocol=\"http\"} 1.0");
            assertThat(send(managementPort, "GET", "/api/admin/contests", null).statusCode()).isEqualTo(200);
            assertThat(send(managementPort, "GET", "/health/live", null).statusCode()).isEqualTo(200);
            HttpResponse<String> voteOnManagement = send(managementPort, "POST", "/api/votes", VOTE);
            assertThat(voteOnManagement.statusCode()).isEqualTo(404);
            assertThat(voteOnManagement.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"no endpoint POST"
                    + " /api/votes on the management port: it serves /metrics, /health/live, /health/ready and"
                    + " /api/admin/...\"}");
            assertThat(IngestProbes.records(kafka, VotesTopic.DEFAULT_NAME)).isEqualTo(1);
        }
    }

    @Test
    void shouldSayItIsNotReadyAndStillTakeVotesWhileItDrains() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
             Metrics metrics = new Metrics()) {
            IngestService ingest = IngestService.start(config(kafka, 5), metrics);
            int publicPort = ingest.httpPort();
            assertThat(send(publicPort, "POST", "/api/votes", VOTE).statusCode()).isEqualTo(202);
            assertThat(IngestProbes.grpcHealth(ingest.grpcPort())).isEqualTo(ServingStatus.SERVING);

            // When it is asked to stop (SIGTERM runs close())
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    ingest.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            // Then it says at once that it is not ready, over HTTP and gRPC, and why
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                HttpResponse<String> ready = send(publicPort, "GET", "/health/ready", null);
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).containsPattern(
                        "\"accepting\":\"DOWN: [^\"]*the ingest is stopping: send votes to another replica\"");
            });
            assertThat(IngestProbes.grpcHealth(ingest.grpcPort())).isEqualTo(ServingStatus.NOT_SERVING);
            // while it still takes votes, for the load balancers that have not noticed yet
            assertThat(send(publicPort, "POST", "/api/votes", VOTE).statusCode()).isEqualTo(202);
            assertThat(stopped).isNotDone();

            // And once stopped it listens no more, and every vote it acknowledged is in Kafka
            stopped.get(60, TimeUnit.SECONDS);
            assertThatThrownBy(() -> send(publicPort, "POST", "/api/votes", VOTE)).isInstanceOf(IOException.class);
            assertThat(IngestProbes.records(kafka, VotesTopic.DEFAULT_NAME)).isEqualTo(2);
        }
    }

    private static IngestConfig config(EmbeddedKafka kafka, int drainSeconds) {
        Map<String, String> env = new HashMap<>(Map.of(
                "OVATION_KAFKA", kafka.bootstrapServers(),
                "OVATION_HOST", "127.0.0.1",
                "OVATION_HTTP_PORT", "0",
                "OVATION_GRPC_PORT", "0",
                "OVATION_MANAGEMENT_PORT", "0",
                "OVATION_ADMIN_TOKEN", TOKEN,
                "OVATION_ADMIN_PLAINTEXT", "true",
                "OVATION_DRAIN_SECONDS", Integer.toString(drainSeconds)));
        return IngestConfig.from(new Env(env));
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
