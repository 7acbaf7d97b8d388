package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Env;
import dev.ovation.web.Metrics;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's refusals say what was wrong and what to send, in the votes' error form. */
class ContestAdminApiIT {

    private static final String TOKEN = "t0ken-of-the-admin";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static Metrics metrics;
    private static IngestService ingest;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        metrics = new Metrics();
        ingest = IngestService.start(IngestConfig.from(new Env(Map.of("OVATION_KAFKA", kafka.bootstrapServers(),
                "OVATION_HOST", "127.0.0.1", "OVATION_HTTP_PORT", "0", "OVATION_GRPC_PORT", "0",
                "OVATION_MANAGEMENT_PORT", "0", "OVATION_ADMIN_TOKEN", TOKEN, "OVATION_ADMIN_PLAINTEXT", "true"))),
                metrics);
    }

    @AfterAll
    static void stop() throws Exception {
        ingest.close();
        metrics.close();
        kafka.close();
    }

    @Test
    void shouldSayTheBearerSchemeIsMissingWhenOnlyTheTokenIsSent() throws Exception {
        HttpResponse<String> answer = create("{\"id\":\"finals\"}", TOKEN);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"error\":\"unauthorized\",\"message\":\"the Authorization header has no"
                + " Bearer scheme: send Authorization: Bearer <the admin token>\"}");
    }

    @Test
    void shouldBeDisabledNotOpenWithoutAToken() throws Exception {
        // Given an ingest started without OVATION_ADMIN_TOKEN
        try (Metrics meters = new Metrics();
             IngestService withoutToken = IngestService.start(IngestConfig.from(new Env(Map.of(
                     "OVATION_KAFKA", kafka.bootstrapServers(), "OVATION_HOST", "127.0.0.1", "OVATION_HTTP_PORT", "0",
                     "OVATION_GRPC_PORT", "0", "OVATION_MANAGEMENT_PORT", "0"))), meters)) {
            // When someone calls its admin API
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + withoutToken.managementPort() + "/api/admin/contests")).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());

            // Then the API is disabled, not open
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("{\"error\":\"admin_disabled\",\"message\":\"the admin API is disabled:"
                    + " set OVATION_ADMIN_TOKEN on the ingest to enable it\"}");
        }
    }

    @Test
    void shouldTakeTheSchemeInAnyCase() throws Exception {
        assertThat(create("{\"id\":\"semis\"}", "bearer " + TOKEN).statusCode()).isEqualTo(201);
    }

    @Test
    void shouldNameTheMissingIdWithoutAClassName() throws Exception {
        HttpResponse<String> answer = create("{\"title\":\"The finals\"}", "Bearer " + TOKEN);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo(
                "{\"error\":\"invalid_contest\",\"field\":\"id\",\"message\":\"id is required\"}");
    }

    @Test
    void shouldNameAMisspelledField() throws Exception {
        HttpResponse<String> answer = create("{\"id\":\"quarters\",\"votesperVoter\":2}", "Bearer " + TOKEN);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"invalid_contest\",\"field\":\"votesperVoter\",\"message\":"
                + "\"unknown field 'votesperVoter'; the fields here are id, title, catalog, opensAt, closesAt, state,"
                + " votesPerVoter, limits\"}");
    }

    @Test
    void shouldAnswer408WithTheErrorBodyToAContestThatComesSlowerThanTheMinimumRate() throws Exception {
        String answer = sendSlowly(ingest.managementPort(), "/api/admin/contests", "Authorization: Bearer " + TOKEN);

        assertThat(answer).startsWith("HTTP/1.1 408 ").endsWith(SLOW_BODY_ERROR);
    }

    @Test
    void shouldAnswer408WithTheErrorBodyToAVoteThatComesSlowerThanTheMinimumRate() throws Exception {
        String answer = sendSlowly(ingest.httpPort(), "/api/votes", "X-Client: slow");

        assertThat(answer).startsWith("HTTP/1.1 408 ").endsWith(SLOW_BODY_ERROR);
    }

    private static final String SLOW_BODY_ERROR = "\r\n\r\n{\"error\":\"request_timeout\",\"message\":\"the request body"
            + " came slower than 1024 bytes a second, the least this server takes: send it whole, at once\"}";

    /**
     * Announces a 40-byte JSON body and sends it a byte every 100 ms (10 B/s) until the server answers;
     * the whole answer, head and body, as the server wrote it before closing the connection.
     */
    private static String sendSlowly(int port, String path, String header) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\n" + header + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 40\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
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
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> create(String body, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.managementPort()
                        + "/api/admin/contests")).timeout(Duration.ofSeconds(30))
                .header("authorization", authorization).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
