package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;

class LogFormatTest {

    @Test
    void shouldKeepTextWhenUnsetOrBlank() {
        assertThat(LogFormat.from(new Env(Map.of()))).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.from(new Env(Map.of("OVATION_LOG_FORMAT", " ")))).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void shouldReadTheFormatWhateverItsCase() {
        assertThat(LogFormat.from(new Env(Map.of("OVATION_LOG_FORMAT", "json")))).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.from(new Env(Map.of("OVATION_LOG_FORMAT", "JSON")))).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.from(new Env(Map.of("OVATION_LOG_FORMAT", "text")))).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void shouldRejectAnotherFormatNamingTheVariableAndTheFormats() {
        assertThatThrownBy(() -> LogFormat.from(new Env(Map.of("OVATION_LOG_FORMAT", "logfmt"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_LOG_FORMAT=logfmt is not a log format; expected text or json");
    }

    @Test
    void shouldConfigureJsonLinesOnStandardErrorWithTheSameLevelsAsText() {
        // Given a logging context of its own (not this test's)
        LoggerContext context = new LoggerContext();

        // When it is configured for JSON
        LogFormat.JSON.configure(context);

        // Then the root logs through JsonLogLayout to standard error, and the levels are those of the text logs
        ConsoleAppender<?> appender = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(((LayoutWrappingEncoder<?>) appender.getEncoder()).getLayout()).isInstanceOf(JsonLogLayout.class);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.kafka").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("de.bwaldvogel").getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("dev.ovation").getLevel()).isEqualTo(Level.INFO);
        context.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "infra", "ingest", "counter", "results", "recount", "loadgen"})
    void shouldDocumentTheVariableInTheHelpOfEveryRole(String role) {
        StringWriter out = new StringWriter();
        Main.commandLine().setOut(new PrintWriter(out, true)).execute(role, "--help");

        assertThat(out.toString()).contains("OVATION_LOG_FORMAT");
    }
}
