package dev.ovation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A handler placed before the Javalin routes serves its own paths and lets the others through. */
class WebServerIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final Metrics metrics = new Metrics();
    private WebServer server;

    @BeforeEach
    void start() {
        // Given a front handler that answers /fast later, from another thread, as Kafka's acknowledgement does
        Handler front = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!Request.getPathInContext(request).equals("/fast")) {
                    return false;
                }
                CompletableFuture.runAsync(() -> {
                    response.setStatus(202);
                    response.write(true, ByteBuffer.wrap("{\"fast\":true}".getBytes(StandardCharsets.UTF_8)), callback);
                });
                return true;
            }
        };
        server = WebServer.builder("test", "127.0.0.1", 0).maxRequestBytes(1024).metrics(metrics).front(front)
                .routes(routes -> {
                    routes.get("/slow", ctx -> Json.send(ctx, 200, Map.of("slow", true)));
                    routes.post("/echo", ctx -> Json.send(ctx, 200, Map.of("bytes", ctx.bodyAsBytes().length)));
                    routes.post("/busy", ctx -> {
                        // reads the body in two steps with a wait between them, as a busy server does
                        InputStream body = ctx.req().getInputStream();
                        int first = body.read();
                        Thread.sleep(300);
                        Json.send(ctx, 200, Map.of("bytes", (first < 0 ? 0 : 1) + body.readAllBytes().length));
                    });
                    routes.get("/broken", ctx -> {
                        throw new IllegalStateException("secret at db.internal:27017");
                    });
                }).start();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldAnswerAnUnexpectedFailureWith500AndAReferenceButNotTheExceptionsWords() throws Exception {
        HttpResponse<String> answer = get("/broken");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).matches("\\{\"error\":\"internal\",\"message\":\"the server failed on this request;"
                + " it is logged with reference [0-9a-f-]{36}\"}").doesNotContain("secret");
    }

    @Test
    void shouldCloseIdleConnectionsAndServeOthersWhileManyAreHeldOpen() throws Exception {
        WebServer limited = WebServer.builder("limited", "127.0.0.1", 0).maxRequestBytes(1024).metrics(metrics)
                .routes(routes -> routes.get("/slow", ctx -> Json.send(ctx, 200, Map.of("slow", true))))
                .limits(new WebServer.Limits(10_000, 1_000, 500, 1_024, 8 * 1024)).start();
        List<Socket> held = new ArrayList<>();
        try {
            // Given 300 connections that send nothing, and 50 that send half a request head
            for (int i = 0; i < 350; i++) {
                Socket socket = new Socket("127.0.0.1", limited.port());
                socket.setSoTimeout(10_000);
                if (i >= 300) {
                    socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                }
                held.add(socket);
            }

            // Then another client is served at once
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + limited.port() + "/slow")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);

            // And every held connection is closed by the server after its idle second (read ends, or is reset)
            for (Socket socket : held) {
                long started = System.nanoTime();
                int read;
                try {
                    read = socket.getInputStream().read();
                    while (read != -1 && socket.getInputStream().read() != -1) {
                        // a 408 or 400 answer to a half-sent head, then the close
                    }
                    read = -1;
                } catch (SocketException reset) {
                    read = -1;
                }
                assertThat(read).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
            limited.close();
        }
    }

    @Test
    void shouldServeTheMetricsInPrometheusTextOrOpenMetricsAsAsked() throws Exception {
        metrics.registry().counter("ovation.test.votes", "protocol", "http").increment(3);

        HttpResponse<String> text = get("/metrics");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValue(Metrics.PROMETHEUS_TEXT);
        assertThat(text.body()).contains("ovation_test_votes_total{protocol=\"http\"} 3.0")
                .contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("process_uptime_seconds");

        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/metrics")).header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(open.headers().firstValue("Content-Type")).hasValue(Metrics.OPENMETRICS_TEXT);
        assertThat(open.body()).contains("ovation_test_votes_total{protocol=\"http\"} 3.0").endsWith("# EOF\n");
    }

    @Test
    void shouldServeTheFrontHandlersPathsAndPassTheOthersToJavalin() throws Exception {
        assertThat(get("/fast")).extracting(HttpResponse::statusCode, HttpResponse::body)
                .containsExactly(202, "{\"fast\":true}");
        assertThat(get("/slow")).extracting(HttpResponse::statusCode, HttpResponse::body)
                .containsExactly(200, "{\"slow\":true}");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswer408WithTheErrorBodyToABodyThatComesSlowerThanTheMinimumRate() throws Exception {
        // Given a client that announces 40 bytes of body and sends them one every 100 ms (10 B/s, under 1 KB/s)
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                for (int i = 1; i < 40 && socket.getInputStream().available() == 0; i++) {
                    // a slow client's pace, not a wait for an outcome
                    Thread.sleep(100);
                    out.write(' ');
                    out.flush();
                }
            } catch (SocketException closed) {
                // the server answered and closed while the body was still being sent
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            // Then it is answered 408 with the error body, not 500
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).isEqualTo("{\"error\":\"request_timeout\","
                    + "\"message\":\"the request body came slower than 1024 bytes a second, the least this server takes:"
                    + " send it whole, at once\"}");
        }
    }

    @Test
    void shouldTakeASmallBodyThatArrivedWholeHoweverLateTheServerReadsIt() throws Exception {
        // Given a 40-byte body sent at once, which the server reads in two steps 300 ms apart (40 B in
        // 300 ms would be under 1 KB/s, were the server's wait counted against the client)
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/busy")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(40))).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then it is read whole
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"bytes\":40}");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
