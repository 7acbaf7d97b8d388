package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ovation.infra.InfraSettings;
import dev.ovation.model.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of standalone keeps the counts and the log: Kafka and Redis keep their data on disk,
 * and the in-memory log is rebuilt from the topic.
 */
class StandaloneRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepCountsAndLogAcrossARestart() throws Exception {
        InfraSettings settings = InfraSettings.onFreePorts(dataDir);
        List<String> idsBefore;
        JsonNode resultsBefore;

        // Given the seed's 650 votes counted by a first run
        try (Standalone first = Standalone.start(new Env(Map.of("OVATION_WARMUP_SECONDS", "0")), settings, "127.0.0.1", 0, 0, 0, 0);
             OvationClients clients = new OvationClients(first.httpPort(), first.grpcPort(), first.resultsPort())) {
            List<JsonNode> seed = OvationClients.seedTraffic();
            for (int from = 0; from < seed.size(); from += 500) {
                ArrayNode batch = OvationClients.JSON.createArrayNode();
                seed.subList(from, Math.min(seed.size(), from + 500)).forEach(v -> batch.addObject()
                        .put("band", v.get("name").asText()).put("album", v.get("album").asText()));
                assertThat(clients.postNow("/api/votes/batch", batch.toString()).body().get("accepted").asInt())
                        .isEqualTo(batch.size());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> logIds(clients).size() == 650);
            idsBefore = logIds(clients);
            resultsBefore = clients.getResults("/api/contests/default/results").body();
        }

        // When it is stopped and started again on the same data
        try (Standalone second = Standalone.start(new Env(Map.of("OVATION_WARMUP_SECONDS", "0")), settings, "127.0.0.1", 0, 0, 0, 0);
             OvationClients clients = new OvationClients(second.httpPort(), second.grpcPort(), second.resultsPort())) {

            // Then the counts are the same at once, and the log comes back whole, nothing counted twice
            JsonNode resultsAfter = clients.getResults("/api/contests/default/results").body();
            assertThat(PipelineIT.tallies(resultsAfter)).isEqualTo(PipelineIT.tallies(resultsBefore));
            assertThat(resultsAfter.get("total").asLong()).isEqualTo(650);
            await().atMost(Duration.ofSeconds(30)).until(() -> logIds(clients).size() == 650);
            assertThat(logIds(clients)).containsExactlyInAnyOrderElementsOf(idsBefore);

            // And it goes on counting
            assertThat(clients.postNow("/insert", "{\"name\":\"Pink Floyd\",\"album\":\"Animals\"}").status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.getResults("/api/contests/default/results")
                    .body().get("total").asLong() == 651);
            assertThat(logIds(clients)).hasSize(651);
            assertThat(clients.getResults("/api/contests/default/results").body().get("duplicates").asLong()).isZero();
        }
    }

    private static List<String> logIds(OvationClients clients) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = clients.getResults("/api/contests/default/logs?limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor)).body();
            page.get("entries").forEach(e -> ids.add(e.get("id").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        return ids;
    }
}
