package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonLogLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final LoggerContext context = new LoggerContext();
    private final JsonLogLayout layout = new JsonLogLayout();

    @Test
    void shouldWriteAnEventAsOneLineOfJsonWithAnIsoTimestamp() throws IOException {
        // Given an event whose message has quotes, a line break and a non-ASCII letter
        LoggingEvent event = event(Level.WARN, "vote {} for \"Bånd\"\nrejected", null, 42);
        event.setTimeStamp(Instant.parse("2026-12-01T14:20:03.512Z").toEpochMilli());

        // When
        String line = layout.doLayout(event);

        // Then it is one line, and that line is exactly these fields
        assertThat(line).endsWith("\n").hasLineCount(1);
        assertThat(JSON.readTree(line)).isEqualTo(JSON.readTree("""
                {"timestamp":"2026-12-01T14:20:03.512Z","level":"WARN","logger":"dev.ovation.counter.CounterService",
                 "thread":"counter-0","message":"vote 42 for \\"Bånd\\"\\nrejected"}"""));
    }

    @Test
    void shouldCarryTheStackTraceWithItsCauses() throws IOException {
        IllegalStateException thrown = new IllegalStateException("Redis is gone", new IOException("reset"));

        String line = layout.doLayout(event(Level.ERROR, "count failed", thrown));

        assertThat(line).hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("message").asText()).isEqualTo("count failed");
        assertThat(json.get("stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: Redis is gone\n\tat dev.ovation.launcher.JsonLogLayoutTest.")
                .contains("Caused by: java.io.IOException: reset\n");
    }

    @Test
    void shouldWriteTheTimestampInUtcWithMillisecondsEvenOnAWholeSecond() throws IOException {
        LoggingEvent event = event(Level.INFO, "ready", null);
        event.setTimeStamp(Instant.parse("2026-12-01T14:20:03Z").toEpochMilli());

        assertThat(JSON.readTree(layout.doLayout(event)).get("timestamp").asText()).isEqualTo("2026-12-01T14:20:03.000Z");
    }

    private LoggingEvent event(Level level, String message, Throwable thrown, Object... arguments) {
        LoggingEvent event = new LoggingEvent("org.slf4j.Logger", context.getLogger("dev.ovation.counter.CounterService"),
                level, message, thrown, arguments);
        event.setThreadName("counter-0");
        return event;
    }
}
