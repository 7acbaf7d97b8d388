package dev.ovation.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.proto.seed.requestId;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input gets a clear 4xx or gRPC status naming the field, and publishes nothing.
 *
 * <p>On the shared standalone: the votes topic holds every test's votes, and the contest
 * {@code default} may too; each test compares them with what they held when it began.
 */
@ExtendWith(SharedPipeline.class)
class InvalidInputIT {

    private static Pipeline ovation;
    private static OvationClients clients;
    private long recordsBefore;

    @BeforeAll
    static void useTheSharedPipeline(Pipeline pipeline) {
        ovation = pipeline;
        clients = pipeline.clients();
    }

    @BeforeEach
    void countRecords() throws Exception {
        recordsBefore = ovation.votesTopicRecords();
    }

    @AfterEach
    void shouldHavePublishedNothing() throws Exception {
        assertThat(ovation.votesTopicRecords()).as("records in the votes topic").isEqualTo(recordsBefore);
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "/api/votes | {\"album\":\"Jazz\"}                         | 400 | band    | band is required and must not be empty",
        "/api/votes | {\"band\":\"Queen\",\"album\":\"\"}           | 400 | album   | album is required and must not be empty",
        "/api/votes | {\"band\":\"  \",\"album\":\"Jazz\"}          | 400 | band    | band is required and must not be empty",
        "/api/votes | {\"band\":\"Queen\",\"album\":\"Jazz\",\"year\":1978} | 400 | year | year must be a string, not number",
        "/api/votes | {\"band\":[\"Queen\"],\"album\":\"Jazz\"}     | 400 | band    | band must be a string, not array",
        "/api/votes | {\"name\":\"Queen\",\"album\":\"Jazz\"}        | 400 | name    | unknown field 'name'; a vote has: id, contest, band, album, year, rank, voter",
        "/api/votes | {\"band\":\"Queen\",\"album\":\"Jazz\",\"contest\":\"Big Final\"} | 400 | contest | contest must be 1 to 64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit",
        "/api/votes | {\"band\":\"Queen\",\"album\":\"Jazz\",\"id\":\"a b\"} | 400 | id | id must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'",
        "/api/votes | [{\"band\":\"Queen\",\"album\":\"Jazz\"}]       | 400 | body    | a vote must be a JSON object, not array",
        "/api/votes | {\"band\":\"Queen\",                          | 400 | body    | ",
        "/insert    | {\"album\":\"Abbey Road\",\"year\":\"2024\"}  | 400 | name    | name (the band) is required and must not be empty",
        "/          | {\"name\":\"The Beatles\",\"year\":\"2024\"}  | 400 | album   | album is required and must not be empty",
        "/insert    | {\"name\":\"The Beatles\",\"album\":\"Abbey Road\",\"rank\":1} | 400 | rank | rank must be a string, not number",
        "/api/votes/batch | {\"band\":\"Queen\",\"album\":\"Jazz\"} | 400 | body    | a batch must be a JSON array of votes",
    })
    void shouldRejectBadVotesOverHttpNamingTheField(String path, String body, int status, String field, String message) {
        OvationClients.Answer answer = clients.postNow(path.strip(), body.strip());

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().get("field").asText()).isEqualTo(field.strip());
        if (message != null && !message.isBlank()) {
            assertThat(answer.body().get("message").asText()).isEqualTo(message.strip());
        } else {
            assertThat(answer.body().get("message").asText()).startsWith("the body is not valid JSON");
        }
        assertThat(answer.body().get("error").asText()).isIn("invalid_vote", "invalid_batch");
    }

    @Test
    void shouldRejectAnEmptyBody() {
        OvationClients.Answer answer = clients.postNow("/api/votes", "");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("message").asText()).isEqualTo("the request body is empty; send a JSON vote");
    }

    @ParameterizedTest(name = "{0} with {1} bytes -> 413")
    @CsvSource({"/api/votes, 16385", "/insert, 16385", "/api/votes/batch, 1048577"})
    void shouldRejectABodyOverTheEndpointsLimitWith413WithoutReadingIt(String path, int size) throws Exception {
        String tooLarge = "{\"error\":\"too_large\",\"message\":\"the body is larger than " + (size - 1)
                + " bytes, the most this endpoint takes\"}";

        // A body announced by Content-Length is refused before a byte of it is sent
        assertThat(rawPost(path, "Content-Length: " + size + "\r\n", new byte[0]))
                .startsWith("HTTP/1.1 413 ").endsWith(tooLarge);

        // A chunked body of no announced length is refused once it passes the limit
        byte[] body = ("{\"band\":\"" + "x".repeat(size - 23) + "\",\"album\":\"a\"}").getBytes(UTF_8);
        assertThat(body).hasSize(size);
        byte[] chunked = (Integer.toHexString(body.length) + "\r\n" + new String(body, UTF_8) + "\r\n0\r\n\r\n")
                .getBytes(UTF_8);
        assertThat(rawPost(path, "Transfer-Encoding: chunked\r\n", chunked))
                .startsWith("HTTP/1.1 413 ").endsWith(tooLarge);
    }

    /**
     * Sends a request's head, then its body from another thread (the server may answer and close
     * before it is all sent), and returns the response's status line, headers and body as text.
     */
    private String rawPost(String path, String headers, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ovation.httpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + headers + "\r\n").getBytes(UTF_8));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // expected once the server has answered
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(UTF_8).endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("the response ended early: %s", head).isNotNegative();
                head.write(b);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head.toString(UTF_8));
            assertThat(length.find()).as(head.toString(UTF_8)).isTrue();
            String answer = head.toString(UTF_8) + new String(in.readNBytes(Integer.parseInt(length.group(1))), UTF_8);
            writer.join(30_000);
            return answer;
        }
    }

    /** The committed corpus of hostile bodies, shared with the ingest's HostileBodiesTest. */
    static List<Arguments> hostileBodies() throws IOException {
        List<Arguments> entries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "ovation-ingest", "src", "test", "resources",
                "hostile", "bodies.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split("\t", 2);
                entries.add(Arguments.of(parts[0],
                        Base64.getDecoder().decode(parts.length > 1 ? parts[1] : "")));
            }
        }
        return entries;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void shouldRefuseEveryHostileBodyOfTheCorpusAndMoveNoTally(String description, byte[] body) throws Exception {
        long totalBefore = clients.getResults("/api/contests/default/results").body().get("total").asLong();
        for (String path : List.of("/api/votes", "/insert")) {
            // raw, so that a body refused before it is read (413) is answered, not raced by the close
            String answer = rawPost(path, "Content-Length: " + body.length + "\r\n", body);

            assertThat(Integer.parseInt(answer.substring(9, 12))).as(description + " to " + path).isBetween(400, 499);
            JsonNode error = OvationClients.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(error.get("error").asText()).isNotBlank();
            assertThat(error.get("message").asText()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        // nothing was published (checked after each test), and no tally moved
        assertThat(clients.getResults("/api/contests/default/results").body().get("total").asLong())
                .isEqualTo(totalBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "control character in band | Que\u0001en | Jazz | | INVALID_ARGUMENT",
        "band of 201 characters | LONG201 | Jazz | | INVALID_ARGUMENT",
        "empty album | Queen | | | INVALID_ARGUMENT",
        "bad contest | Queen | Jazz | ../admin | INVALID_ARGUMENT",
        "message over 64 KiB | HUGE | Jazz | | RESOURCE_EXHAUSTED"})
    void shouldRefuseHostileGrpcVotes(String description, String band, String album, String contest, String code) {
        String realBand = band.equals("LONG201") ? "x".repeat(201) : band.equals("HUGE") ? "x".repeat(70_000)
                : band.replace("\\u0001", "\u0001");
        Vote.Builder vote = Vote.newBuilder().setBand(realBand).setAlbum(album == null ? "" : album);
        if (contest != null) {
            vote.setContest(contest);
        }

        assertThatThrownBy(() -> clients.votes().cast(vote.build()))
                .as(description)
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode().name()).isEqualTo(code));
    }

    @ParameterizedTest(name = "Content-Type: {0} -> 415")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/xml", "application/json; charset=ISO-8859-1"})
    void shouldRejectABodyThatIsNotSentAsJsonWith415(String contentType) throws Exception {
        for (String path : List.of("/api/votes", "/api/votes/batch", "/insert", "/")) {
            HttpResponse<String> answer = post(path, contentType, HttpRequest.BodyPublishers.ofString(
                    path.endsWith("batch") ? "[{\"band\":\"Queen\",\"album\":\"Jazz\"}]"
                            : "{\"band\":\"Queen\",\"album\":\"Jazz\",\"name\":\"Queen\"}"));

            assertThat(answer.statusCode()).as(path).isEqualTo(415);
            JsonNode error = OvationClients.JSON.readTree(answer.body());
            assertThat(error.get("error").asText()).isEqualTo("unsupported_media_type");
            assertThat(error.get("message").asText()).startsWith("the body must be");
        }
    }

    private HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ovation.httpPort() + path))
                .header("Content-Type", contentType).timeout(Duration.ofSeconds(30)).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRejectATooLongBand() {
        OvationClients.Answer answer = clients.postNow("/api/votes",
                "{\"band\":\"" + "x".repeat(201) + "\",\"album\":\"a\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("message").asText()).isEqualTo("band is 201 characters long; the most is 200");
    }

    @Test
    void shouldRejectABatchOfMoreThanAThousandVotes() {
        String votes = IntStream.range(0, 1001).mapToObj(i -> "{\"band\":\"b\",\"album\":\"a\"}")
                .collect(Collectors.joining(",", "[", "]"));

        OvationClients.Answer answer = clients.postNow("/api/votes/batch", votes);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("message").asText()).isEqualTo("a batch holds at most 1000 votes; this one has 1001");
    }

    @Test
    void shouldAnswerUnknownPathsWith404() {
        OvationClients.Answer answer = clients.postNow("/api/vote", "{}");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void shouldRejectBadVotesOverGrpcWithInvalidArgument() {
        assertThatThrownBy(() -> clients.votes().cast(Vote.newBuilder().setAlbum("Jazz").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("band is required and must not be empty");
                });
        assertThatThrownBy(() -> clients.votes().cast(Vote.newBuilder().setBand("Queen").setAlbum("Jazz")
                .setContest("UPPER").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> clients.seed().returnInfo(requestId.newBuilder().setAlbum("Abbey Road").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("name (the band) is required and must not be empty");
                });
    }

    @Test
    void shouldAnswerEachBadVoteOfAStreamWithAnErrorReceiptAndGoOn() {
        List<StreamReceipt> receipts = clients.castStream(List.of(
                Vote.newBuilder().setBand("Queen").build(),
                Vote.newBuilder().setAlbum("Jazz").setYear("x".repeat(65)).build()));

        assertThat(receipts).hasSize(2);
        assertThat(receipts).extracting(StreamReceipt::getIndex).containsExactlyInAnyOrder(0L, 1L);
        assertThat(receipts).allSatisfy(r -> {
            assertThat(r.hasReceipt()).isFalse();
            assertThat(r.getErrorCode()).isEqualTo("INVALID_ARGUMENT");
        });
        assertThat(receipts.stream().filter(r -> r.getIndex() == 0).findFirst().orElseThrow().getErrorMessage())
                .isEqualTo("album is required and must not be empty");
    }

    @Test
    void shouldPublishOnlyTheValidVotesOfAMixedBatch(TestContest mixed) throws Exception {
        String contest = "\"contest\":\"" + mixed.id() + "\"";
        String batch = "[{\"band\":\"Queen\",\"album\":\"Jazz\"," + contest + ",\"id\":\"m-1\"},"
                + "{\"band\":\"Queen\"," + contest + "},"
                + "{\"band\":\"Queen\",\"album\":\"Jazz\"," + contest + ",\"id\":\"m-2\"}]";

        JsonNode answer = clients.postNow("/api/votes/batch", batch).body();

        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("results").get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(answer.get("results").get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(answer.get("results").get(1).get("field").asText()).isEqualTo("album");
        assertThat(answer.get("results").get(2).get("id").asText()).isEqualTo("m-2");
        recordsBefore += 2;
    }

    @Test
    void shouldRejectBadQueriesOfTheResultsApi() {
        assertThat(clients.getResults("/api/contests/default/logs?limit=501").status()).isEqualTo(400);
        assertThat(clients.getResults("/api/contests/default/logs?limit=ten").body().get("field").asText())
                .isEqualTo("limit");
        assertThat(clients.getResults("/api/contests/default/logs?cursor=%25%25").body().get("field").asText())
                .isEqualTo("cursor");
        assertThat(clients.getResults("/api/contests/Not%20A%20Contest/results").status()).isEqualTo(400);
    }
}
