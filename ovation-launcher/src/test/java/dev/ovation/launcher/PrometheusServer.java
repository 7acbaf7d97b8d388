package dev.ovation.launcher;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.infra.LocalPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server, the binary run as a process on a free port with its own configuration
 * and storage, scraping one target every second: what a test asks the dashboard's queries of.
 */
final class PrometheusServer implements AutoCloseable {

    /** Where Debian's {@code prometheus} package installs the server. */
    static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus");

    private static final String HOST = "127.0.0.1";

    private final Process process;
    private final Path log;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * Starts Prometheus scraping {@code target}'s {@code /metrics} (job {@code job}) every second,
     * keeping its configuration, data and log under {@code dir}, and waits until it is ready
     * (deadline 60 s), or fails showing its log.
     */
    static PrometheusServer start(Path binary, Path dir, String job, String target) {
        try {
            Files.createDirectories(dir);
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: %s
                        metrics_path: /metrics
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(job, target));
            Path log = dir.resolve("prometheus.log");
            int port = LocalPorts.pickFree(HOST);
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=" + HOST + ":" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(process, log, "http://" + HOST + ":" + port);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Prometheus exited at start:\n" + server.log());
                    }
                    return server.ready();
                });
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PromQL answer: the series of an instant vector, or Prometheus's error. */
    record Answer(List<JsonNode> series, String error) {

        boolean failed() {
            return error != null;
        }
    }

    /** Evaluates {@code expr} now, through {@code /api/v1/query}. */
    Answer query(String expr) {
        JsonNode body = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))));
        if (!"success".equals(body.path("status").asText())) {
            return new Answer(List.of(), body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        JsonNode result = body.path("data").path("result");
        List<JsonNode> series = new ArrayList<>();
        if ("vector".equals(body.path("data").path("resultType").asText())) {
            result.forEach(series::add);
        } else {
            series.add(result); // a scalar or a string: one value
        }
        return new Answer(series, null);
    }

    /** The values of {@code label} on the series {@code match} selects, as a Grafana {@code label_values} variable lists them. */
    List<String> labelValues(String label, String match) {
        JsonNode body = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/label/" + label + "/values?match[]="
                + URLEncoder.encode(match, StandardCharsets.UTF_8))).GET());
        List<String> values = new ArrayList<>();
        body.path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return OvationClients.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What Prometheus logged, for failure messages. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return url;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
