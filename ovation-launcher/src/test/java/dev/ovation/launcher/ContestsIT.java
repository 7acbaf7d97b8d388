package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ovation.counter.CounterConfig;
import dev.ovation.counter.CounterService;
import dev.ovation.ingest.ContestAdminApi;
import dev.ovation.proto.v1.Vote;
import dev.ovation.store.StoreSettings;
import dev.ovation.store.VotesTopic;
import dev.ovation.web.Metrics;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Contests: catalogs, voting windows, per-voter limits and the admin API, end to end.
 *
 * <p>On the shared standalone: each test makes the contests it votes in through the admin API, with
 * ids of their own; the votes topic holds every test's votes, so a test compares it with what it
 * held when it began.
 */
@ExtendWith(SharedPipeline.class)
class ContestsIT {

    private static final String TOKEN = Pipeline.ADMIN_TOKEN;

    private static Pipeline ovation;
    private static OvationClients clients;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void useTheSharedPipeline(Pipeline pipeline) {
        ovation = pipeline;
        clients = pipeline.clients();
    }

    @Test
    void shouldRefuseVotesForUnknownClosedOrNotYetOpenContestsAndPublishNothing() throws Exception {
        String closedByHand = ovation.createContest("closed-by-hand", "{\"state\":\"closed\"}").id();
        String notYetOpen = ovation.createContest("not-yet", "{\"opensAt\":\"2999-01-01T00:00:00Z\"}").id();
        long before = ovation.votesTopicRecords();

        OvationClients.Answer unknown = clients.postNow("/api/votes", vote("nobody", "Queen", "Jazz"));
        OvationClients.Answer closed = clients.postNow("/api/votes", vote(closedByHand, "Queen", "Jazz"));
        OvationClients.Answer notYet = clients.postNow("/api/votes", vote(notYetOpen, "Queen", "Jazz"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").asText()).isEqualTo("unknown_contest");
        assertThat(unknown.body().get("message").asText()).isEqualTo("there is no contest 'nobody'");
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.body().get("message").asText()).isEqualTo("contest '" + closedByHand + "' is closed");
        assertThat(notYet.status()).isEqualTo(409);
        assertThat(notYet.body().get("message").asText())
                .isEqualTo("contest '" + notYetOpen + "' is not yet open; it opens at 2999-01-01T00:00:00Z");
        assertThatThrownBy(() -> clients.votes().cast(Vote.newBuilder().setContest("nobody").setBand("Queen")
                .setAlbum("Jazz").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> clients.votes().cast(Vote.newBuilder().setContest(closedByHand).setBand("Queen")
                .setAlbum("Jazz").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(clients.getResults("/api/contests/nobody/results").status()).isEqualTo(404);
        assertThat(clients.getResults("/api/contests/nobody/logs").status()).isEqualTo(404);
        assertThat(ovation.votesTopicRecords()).isEqualTo(before);
    }

    @Test
    void shouldTakeOnlyTheBandsAndAlbumsOfAClosedCatalog() throws Exception {
        String seedContest = ovation.createContest("seed", """
                {"title": "Seed classics", "catalog": {
                  "The Beatles": ["Abbey Road", "Revolver", "Sgt. Pepper's Lonely Hearts Club Band"],
                  "Led Zeppelin": ["Houses of the Holy", "Led Zeppelin IV", "Physical Graffiti"],
                  "Pink Floyd": ["The Dark Side of the Moon"]}}
                """).id();
        long before = ovation.votesTopicRecords();
        OvationClients.Answer band = clients.postNow("/api/votes", vote(seedContest, "Queen", "Jazz"));
        OvationClients.Answer album = clients.postNow("/api/votes", vote(seedContest, "The Beatles", "Help!"));
        assertThat(band.status()).isEqualTo(422);
        assertThat(band.body().get("field").asText()).isEqualTo("band");
        assertThat(album.status()).isEqualTo(422);
        assertThat(album.body().get("field").asText()).isEqualTo("album");
        assertThatThrownBy(() -> clients.votes().cast(Vote.newBuilder().setContest(seedContest).setBand("Queen")
                .setAlbum("Jazz").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(ovation.votesTopicRecords()).isEqualTo(before);

        // the seed's 650 votes are all in the catalog and count exactly
        List<JsonNode> seed = OvationClients.seedTraffic();
        for (int from = 0; from < seed.size(); from += 325) {
            ArrayNode batch = OvationClients.JSON.createArrayNode();
            seed.subList(from, from + 325).forEach(v -> batch.addObject().put("contest", seedContest)
                    .put("band", v.get("name").asText()).put("album", v.get("album").asText()));
            assertThat(clients.postNow("/api/votes/batch", batch.toString()).body().get("accepted").asInt()).isEqualTo(325);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.getResults("/api/contests/" + seedContest + "/results")
                .body().get("total").asLong() == 650);
        JsonNode results = clients.getResults("/api/contests/" + seedContest + "/results").body();
        // the bands by votes (a tie by name), each band's albums by votes: as the API lists them
        assertThat(PipelineIT.tallies(results)).containsExactly(
                Map.entry("Led Zeppelin", 290L),
                Map.entry("Led Zeppelin/Houses of the Holy", 120L),
                Map.entry("Led Zeppelin/Led Zeppelin IV", 90L),
                Map.entry("Led Zeppelin/Physical Graffiti", 80L),
                Map.entry("The Beatles", 290L),
                Map.entry("The Beatles/Abbey Road", 100L),
                Map.entry("The Beatles/Sgt. Pepper's Lonely Hearts Club Band", 100L),
                Map.entry("The Beatles/Revolver", 90L),
                Map.entry("Pink Floyd", 70L),
                Map.entry("Pink Floyd/The Dark Side of the Moon", 70L));
        assertThat(results.get("title").asText()).isEqualTo("Seed classics");
    }

    @Test
    void shouldCountAtMostTheVoterLimitEvenWithSeveralCounters() throws Exception {
        String limited = ovation.createContest("limited", "{\"votesPerVoter\":2}").id();
        // Given two more counters sharing the work with the one of standalone
        StoreSettings stores = new StoreSettings(ovation.infra().kafkaBootstrapServers(),
                new VotesTopic("votes", 6, (short) 1), ovation.infra().redisUri(), ovation.infra().mongoUri(), "ovation");
        CounterConfig config = new CounterConfig(stores, "ovation-counter", 500, Duration.ofHours(24), "127.0.0.1", 0);
        try (Metrics metrics = new Metrics(); CounterService second = CounterService.start(config, metrics);
             CounterService third = CounterService.start(config, metrics)) {
            // When 50 voters send 5 votes each, and 20 votes come without a voter, in a contest with a limit of 2
            ArrayNode batch = OvationClients.JSON.createArrayNode();
            for (int v = 0; v < 50; v++) {
                for (int n = 0; n < 5; n++) {
                    batch.addObject().put("id", "lim-" + v + "-" + n).put("contest", limited)
                            .put("voter", "+502-" + v).put("band", n % 2 == 0 ? "Queen" : "Abba").put("album", "x");
                }
            }
            for (int n = 0; n < 20; n++) {
                batch.addObject().put("id", "anon-" + n).put("contest", limited).put("band", "Queen").put("album", "x");
            }
            assertThat(clients.postNow("/api/votes/batch", batch.toString()).body().get("accepted").asInt())
                    .isEqualTo(270);

            // Then exactly 2 per voter count, the rest are rejected by reason, and all are logged
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode r = clients.getResults("/api/contests/" + limited + "/results").body();
                return r.get("total").asLong() + r.path("rejected").path("voter_limit").asLong() == 270;
            });
            JsonNode results = clients.getResults("/api/contests/" + limited + "/results").body();
            assertThat(results.get("total").asLong()).isEqualTo(50 * 2 + 20);
            assertThat(results.get("rejected").get("voter_limit").asLong()).isEqualTo(50 * 3);
            // each voter's first two votes, in partition order, are n = 0 (Queen) and n = 1 (Abba)
            assertThat(PipelineIT.tallies(results)).containsEntry("Queen", 50L + 20L).containsEntry("Abba", 50L);
            List<JsonNode> log = new ArrayList<>();
            clients.getResults("/api/contests/" + limited + "/logs?limit=500").body().get("entries").forEach(log::add);
            assertThat(log).hasSize(270);
            assertThat(log.stream().filter(e -> e.get("status").asText().equals("rejected")))
                    .hasSize(150).allMatch(e -> e.get("reason").asText().equals("voter_limit"));
            assertThat(log.stream().filter(e -> e.get("status").asText().equals("rejected"))
                    .map(e -> e.get("id").asText().substring(e.get("id").asText().lastIndexOf('-') + 1))
                    .collect(Collectors.toSet())).containsExactlyInAnyOrder("2", "3", "4");
        }
    }

    @Test
    void shouldStoreAndShowVotersOnlyAsPseudonyms(TestContest contest) throws Exception {
        // When one phone number votes twice
        for (int i = 0; i < 2; i++) {
            assertThat(clients.postNow("/api/votes", "{\"id\":\"pseudonym-" + i + "\",\"contest\":\"" + contest.id()
                    + "\",\"band\":\"Queen\",\"album\":\"Jazz\",\"voter\":\"+50255501234\"}").status()).isEqualTo(202);
        }

        // Then the log shows the same masked pseudonym for both, never the number
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode page = clients.getResults(contest.path("/logs?limit=500")).body();
            List<String> voters = new ArrayList<>();
            page.get("entries").forEach(e -> {
                if (e.get("id").asText().startsWith("pseudonym-")) {
                    voters.add(e.get("voter").asText());
                }
            });
            // the public log masks the pseudonym too: four of its characters
            assertThat(voters).hasSize(2).allMatch(v -> v.matches("[A-Za-z0-9_-]{4}\u2026"));
            assertThat(voters.get(0)).isEqualTo(voters.get(1));
            assertThat(page.toString()).doesNotContain("50255501234");
        });
    }

    @Test
    void shouldLeaveAnAuditLineForEveryAdminCallWithoutTheToken() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger(ContestAdminApi.AUDIT_LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        audit.addAppender(lines);
        try {
            // When an admin closes then opens a contest, and someone probes with a wrong token and with none
            assertThat(adminCall("POST", "/api/admin/contests/audited/close", "", TOKEN).statusCode()).isEqualTo(404);
            assertThat(adminCall("POST", "/api/admin/contests/finals/close", "", "guess").statusCode()).isEqualTo(401);
            assertThat(adminCall("GET", "/api/admin/contests", null, null).statusCode()).isEqualTo(401);

            // Then each call left one line: what, on which contest, from where, by which token, how it ended
            List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            String admin = ContestAdminApi.fingerprint(TOKEN);
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0)).startsWith("admin POST /api/admin/contests/audited/close contest=audited"
                    + " from=127.0.0.1 by=token " + admin + " status=404 at=");
            assertThat(messages.get(1)).startsWith("admin POST /api/admin/contests/finals/close contest=finals"
                    + " from=127.0.0.1 by=token " + ContestAdminApi.fingerprint("guess")
                    + " status=401 at=");
            assertThat(messages.get(2)).startsWith("admin GET /api/admin/contests contest=- from=127.0.0.1"
                    + " by=no token status=401 at=");
            assertThat(String.join("\n", messages)).doesNotContain(TOKEN).doesNotContain("guess");
        } finally {
            audit.detachAppender(lines);
        }
    }

    @Test
    void shouldManageContestsOverTheAdminApiWithABearerToken(TestContest other) throws Exception {
        String live = ovation.newContestId("live");
        String contest = "{\"id\":\"" + live + "\",\"title\":\"Live final\",\"votesPerVoter\":1,"
                + "\"catalog\":{\"Alux Nahual\":[],\"Viernes Verde\":[]}}";

        assertThat(adminCall("POST", "/api/admin/contests", contest, null).statusCode()).isEqualTo(401);
        assertThat(adminCall("POST", "/api/admin/contests", contest, "wrong").statusCode()).isEqualTo(401);
        assertThat(adminCall("GET", "/api/admin/contests", null, "s3cret-admin-tokeN").statusCode()).isEqualTo(401);
        HttpResponse<String> created = adminCall("POST", "/api/admin/contests", contest, TOKEN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(OvationClients.JSON.readTree(created.body()).get("status").asText()).isEqualTo("open");
        assertThat(adminCall("POST", "/api/admin/contests", contest, TOKEN).statusCode()).isEqualTo(409);
        HttpResponse<String> invalid = adminCall("POST", "/api/admin/contests",
                "{\"id\":\"bad\",\"votesPerVoter\":-1}", TOKEN);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(OvationClients.JSON.readTree(invalid.body()).get("field").asText()).isEqualTo("votesPerVoter");

        assertThat(clients.postNow("/api/votes", vote(live, "Alux Nahual", "Hombres de maíz")).status()).isEqualTo(202);
        assertThat(adminCall("POST", "/api/admin/contests/" + live + "/close", "", TOKEN).statusCode()).isEqualTo(200);
        assertThat(clients.postNow("/api/votes", vote(live, "Alux Nahual", "x")).status()).isEqualTo(409);
        assertThat(adminCall("POST", "/api/admin/contests/" + live + "/open", "", TOKEN).statusCode()).isEqualTo(200);
        assertThat(clients.postNow("/api/votes", vote(live, "Viernes Verde", "x")).status()).isEqualTo(202);
        assertThat(adminCall("POST", "/api/admin/contests/nobody/open", "", TOKEN).statusCode()).isEqualTo(404);

        JsonNode listed = OvationClients.JSON.readTree(adminCall("GET", "/api/admin/contests", null, TOKEN).body());
        // the built-in default, this one, and one another admin call made
        assertThat(listed.findValuesAsText("id")).contains("default", live, other.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.getResults("/api/contests/" + live).status() == 200);
        JsonNode publicView = clients.getResults("/api/contests/" + live).body();
        assertThat(publicView.get("title").asText()).isEqualTo("Live final");
        assertThat(publicView.get("votesPerVoter").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.getResults("/api/contests/" + live + "/results")
                .body().get("total").asLong() == 2);
    }

    private HttpResponse<String> adminCall(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ovation.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String vote(String contest, String band, String album) {
        return OvationClients.JSON.createObjectNode().put("contest", contest).put("band", band).put("album", album)
                .toString();
    }
}
