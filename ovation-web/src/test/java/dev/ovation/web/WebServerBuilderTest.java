package dev.ovation.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server is not started without what every server needs; nothing listens meanwhile. A port that
 * cannot be listened on is named, the management port too.
 */
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

    @Test
    void shouldNameBothPortsWhenTheManagementPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Metrics metrics = new Metrics()) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> WebServer.builder("ingest", "127.0.0.1", 0).maxRequestBytes(1024)
                    .metrics(metrics).management(new WebServer.Management(port, List.of())).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("ingest could not listen on 127.0.0.1:0 and its management port " + port
                            + ": ")
                    .hasMessageContaining("using port " + port);
        }
    }
}
