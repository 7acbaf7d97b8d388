package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a help's footer is laid out: tables of names and text, and paragraphs, within the width. */
class FooterLayoutTest {

    @Test
    void shouldContinueAWrappedRowInTheColumnOfItsText() {
        // Given a table whose second row's text is longer than a line
        List<String> footer = List.of("", "Environment:",
                "  OVATION_KAFKA  Kafka bootstrap servers (default 127.0.0.1:19092)",
                "  OVATION_MANAGEMENT_PORT  port of /metrics, health and the admin API, which the HTTP port then does"
                        + " not serve (default 8081; same: everything on the HTTP port)");

        // When laid out in 60 columns
        String shown = FooterLayout.layout(footer, 60);

        // Then every row's text starts in one column, and the wrapped text goes on in it
        assertThat(shown).isEqualTo("""

                Environment:
                  OVATION_KAFKA            Kafka bootstrap servers (default
                                           127.0.0.1:19092)
                  OVATION_MANAGEMENT_PORT  port of /metrics, health and the
                                           admin API, which the HTTP port
                                           then does not serve (default
                                           8081; same: everything on the
                                           HTTP port)
                """);
    }

    @Test
    void shouldPutTheTextOfAVeryLongNameOnTheNextLine() {
        List<String> footer = List.of("Environment:",
                "  OVATION_TOPIC  votes topic (default votes)",
                "  OVATION_TOPIC, OVATION_TOPIC_PARTITIONS, OVATION_TOPIC_REPLICATION  (default votes, 6, the brokers'"
                        + " default.replication.factor)");

        String shown = FooterLayout.layout(footer, 70);

        assertThat(shown).isEqualTo("""
                Environment:
                  OVATION_TOPIC  votes topic (default votes)
                  OVATION_TOPIC, OVATION_TOPIC_PARTITIONS, OVATION_TOPIC_REPLICATION
                                 (default votes, 6, the brokers'
                                 default.replication.factor)
                """);
    }

    @Test
    void shouldIndentTheRestOfAWrappedParagraphByTwo() {
        List<String> footer = List.of("Exit codes: 0 every run exact; 1 a run lost, doubled or invented a vote, or a"
                + " store disagreed; 2 bad usage.");

        String shown = FooterLayout.layout(footer, 60);

        assertThat(shown).isEqualTo("""
                Exit codes: 0 every run exact; 1 a run lost, doubled or
                  invented a vote, or a store disagreed; 2 bad usage.
                """);
    }
}
