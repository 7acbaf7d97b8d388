package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.infra.InfraSettings;
import dev.ovation.model.Env;
import dev.ovation.proto.v1.Vote;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate limits hold a voter or an address that sends too fast, answer 429 with Retry-After (or
 * RESOURCE_EXHAUSTED), count each vote of a batch, and leave every other client alone: another
 * address's votes are all taken and counted while one address is held.
 */
class RateLimitIT {

    private static final Path CONTESTS = Path.of("src", "test", "resources", "rate-limit-it.yaml");

    @TempDir
    static Path dataDir;

    private static Standalone ovation;
    private static OvationClients clients;

    @BeforeAll
    static void startOvation() throws Exception {
        // Loopback is limited here like any other address (standalone exempts it by default)
        ovation = Standalone.start(new Env(Map.of("OVATION_RATE_LIMIT_EXEMPT", "192.0.2.1", "OVATION_WARMUP_SECONDS", "0")),
                InfraSettings.onFreePorts(dataDir), "127.0.0.1", 0, 0, 0, 0, CONTESTS);
        clients = new OvationClients(ovation.httpPort(), ovation.grpcPort(), ovation.resultsPort());
    }

    @AfterAll
    static void stopOvation() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (ovation != null) {
            ovation.close();
        }
    }

    @Test
    void shouldHoldAVoterToTheContestsRateOverHttpAndGrpc() {
        String vote = "{\"contest\":\"per-voter\",\"band\":\"Queen\",\"album\":\"Jazz\",\"voter\":\"+50255501234\"}";
        for (int i = 0; i < 3; i++) {
            assertThat(clients.postNow("/api/votes", vote).status()).isEqualTo(202);
        }

        OvationClients.Answer held = clients.postNow("/api/votes", vote);

        assertThat(held.status()).isEqualTo(429);
        assertThat(held.body().get("error").asText()).isEqualTo("rate_limited");
        assertThat(held.body().get("message").asText()).isEqualTo("too many votes from this voter in contest"
                + " 'per-voter': at most 60 a minute (bursts of 3); retry after 1 s");
        assertThatThrownBy(() -> clients.votes().cast(Vote.newBuilder().setContest("per-voter").setBand("Queen")
                .setAlbum("Jazz").setVoter("+50255501234").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).endsWith("retry after 1 s");
                });
        // another voter is not held
        assertThat(clients.postNow("/api/votes", vote.replace("+50255501234", "+50255505678")).status())
                .isEqualTo(202);
    }

    @Test
    void shouldHoldAFloodingAddressVotePerVoteWhileAnotherAddressIsServedAndCountedInFull() throws Exception {
        // Given an address (127.0.0.1) sending a batch of 30 votes, over its burst of 20
        String batch = IntStream.range(0, 30)
                .mapToObj(i -> "{\"contest\":\"per-address\",\"band\":\"Queen\",\"album\":\"Jazz\"}")
                .collect(Collectors.joining(",", "[", "]"));
        JsonNode answer = clients.postNow("/api/votes/batch", batch).body();

        // Then 20 are taken and the other 10 refused, each saying why
        assertThat(answer.get("accepted").asInt()).isEqualTo(20);
        List<String> refused = new ArrayList<>();
        answer.get("results").forEach(r -> {
            if (r.get("status").asText().equals("rejected")) {
                refused.add(r.get("error").asText());
            }
        });
        assertThat(refused).hasSize(10).containsOnly("rate_limited");
        OvationClients.Answer single = clients.postNow("/api/votes",
                "{\"contest\":\"per-address\",\"band\":\"Queen\",\"album\":\"Jazz\"}");
        assertThat(single.status()).isEqualTo(429);

        // And another address (127.0.0.2) sending its own 20 votes meanwhile gets every one taken
        HttpClient other = new HttpClient();
        other.setBindAddress(new InetSocketAddress("127.0.0.2", 0));
        other.start();
        try {
            for (int i = 0; i < 20; i++) {
                ContentResponse response = other.newRequest("127.0.0.1", ovation.httpPort()).method(HttpMethod.POST)
                        .path("/api/votes").timeout(30, TimeUnit.SECONDS)
                        .body(new StringRequestContent("application/json",
                                "{\"contest\":\"per-address\",\"band\":\"Rush\",\"album\":\"Signals\"}"))
                        .send();
                assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(202);
            }
        } finally {
            other.stop();
        }

        // And exactly the taken votes are counted
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode results = clients.getResults("/api/contests/per-address/results").body();
            assertThat(results.path("total").asLong()).as(results.toString()).isEqualTo(40);
            assertThat(results.get("bands").findValuesAsText("band")).containsExactly("Queen", "Rush");
            assertThat(results.get("bands").findValues("votes").stream().map(JsonNode::asLong).toList())
                    .contains(20L, 20L);
        });
    }
}
