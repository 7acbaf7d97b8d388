package dev.ovation.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A server is not started without what every server needs; nothing listens meanwhile. */
class WebServerBuilderTest {

    @Test
    void shouldRefuseToStartWithoutTheLargestRequestBody() {
        try (Metrics metrics = new Metrics()) {
            assertThatThrownBy(() -> WebServer.builder("ingest", "127.0.0.1", 0).metrics(metrics).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("ingest: the largest request body (maxRequestBytes) was not given");
        }
    }

    @Test
    void shouldRefuseToStartWithoutMeters() {
        assertThatThrownBy(() -> WebServer.builder("counter", "127.0.0.1", 0).maxRequestBytes(1024).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("counter: the meters to serve at /metrics were not given");
    }
}
