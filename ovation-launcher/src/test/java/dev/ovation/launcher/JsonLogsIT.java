package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ovation.infra.LocalPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code OVATION_LOG_FORMAT} on the launcher jar, as a role runs in production: its own process. */
class JsonLogsIT {

    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryLogLineOfARoleAsJsonFromStartToStop() throws Exception {
        // Given the infrastructure role started with JSON logs
        Process infra = start(Map.of("OVATION_LOG_FORMAT", "json"), "infra", "--data-dir", dir.resolve("data").toString(),
                "--kafka-port", free(), "--redis-port", free(), "--mongo-port", free());
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(infra.isAlive()).as("infra is running; its logs: %s", read("err")).isTrue();
                return read("out").contains("Ovation infrastructure is running");
            });
        } finally {
            // When it is stopped as a container is, with SIGTERM
            infra.destroy();
            assertThat(infra.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        // Then each line on standard error is one log event with its timestamp, level, logger, thread and message
        List<JsonNode> events = events(read("err"));
        assertThat(events).isNotEmpty();
        assertThat(events).extracting(e -> e.get("message").asText()).contains("Stopping the infrastructure...");
        for (JsonNode event : events) {
            assertThat(Instant.parse(event.get("timestamp").asText())).isBetween(Instant.now().minusSeconds(300), Instant.now());
            assertThat(event.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.get("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
            assertThat(event.get("logger").asText()).isNotBlank();
            assertThat(event.get("thread").asText()).isNotBlank();
            assertThat(event.has("message")).isTrue();
        }
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("level").asText()).isEqualTo("INFO");
            assertThat(event.get("logger").asText()).isEqualTo("dev.ovation.infra.EmbeddedRedis");
            assertThat(event.get("message").asText()).startsWith("Redis ready on " + HOST + ":");
        });
    }

    @Test
    void shouldLogAFailedStartAsOneJsonEventWithItsStackTrace() throws Exception {
        // Given a port that cannot be a port, When ingest starts with JSON logs
        Process ingest = start(Map.of("OVATION_LOG_FORMAT", "json", "OVATION_HTTP_PORT", "eighty"), "ingest");

        // Then it fails, and says why in one JSON event that carries the exception's stack trace
        assertThat(ingest.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ingest.exitValue()).as("a bad setting").isEqualTo(2);
        List<JsonNode> events = events(read("err"));
        assertThat(events).hasSize(1);
        JsonNode failure = events.get(0);
        assertThat(failure.get("level").asText()).isEqualTo("ERROR");
        assertThat(failure.get("logger").asText()).isEqualTo("dev.ovation.launcher.Main");
        assertThat(failure.get("thread").asText()).isEqualTo("main");
        assertThat(failure.get("message").asText()).startsWith("ovation ingest: OVATION_HTTP_PORT=eighty is not a whole number");
        assertThat(failure.get("stack_trace").asText())
                .startsWith("dev.ovation.model.ConfigException: OVATION_HTTP_PORT=eighty is not a whole number")
                .contains("\tat dev.ovation.ingest.IngestConfig.from(");
    }

    @Test
    void shouldKeepTextWhenTheFormatIsNotSet() throws Exception {
        Process ingest = start(Map.of("OVATION_HTTP_PORT", "eighty"), "ingest");

        assertThat(ingest.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ingest.exitValue()).as("a bad setting").isEqualTo(2);
        assertThat(read("err")).startsWith("ovation ingest: OVATION_HTTP_PORT=eighty is not a whole number")
                .doesNotContain("{");
    }

    @Test
    void shouldRefuseAFormatItDoesNotKnowBeforeDoingAnything() throws Exception {
        Process help = start(Map.of("OVATION_LOG_FORMAT", "xml"), "ingest", "--help");

        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).as("a bad setting").isEqualTo(2);
        assertThat(read("err")).isEqualTo("ovation: OVATION_LOG_FORMAT=xml is not a log format; expected text or json"
                + System.lineSeparator());
        assertThat(read("out")).isEmpty();
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        return LauncherJar.start(dir, env, args);
    }

    private String read(String stream) throws IOException {
        return Files.readString(dir.resolve(stream));
    }

    private static String free() {
        return String.valueOf(LocalPorts.pickFree(HOST));
    }

    /** Each line as a JSON object, but for the lines of console text named. */
    private static List<JsonNode> events(String stderr, String... consoleLines) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.isEmpty() || List.of(consoleLines).contains(line)) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            events.add(event);
        }
        return events;
    }
}
