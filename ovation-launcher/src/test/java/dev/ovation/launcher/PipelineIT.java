package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.ListenableFuture;
import dev.ovation.proto.seed.replyInfo;
import dev.ovation.proto.seed.requestId;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.store.RedisLink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole pipeline in one process, as {@code ./ovation standalone} runs it: the seed's 650
 * votes, sent half over HTTP and half over gRPC through every entry point, come out as exact
 * tallies and as exactly 650 log entries.
 *
 * <p>On the shared standalone: the seed's shapes always vote in the contest {@code default}, which
 * other tests vote in too (one at a time), so what this test reads of it, of its log and of the
 * process-wide meters is the difference from what they held when it began.
 */
@ExtendWith(SharedPipeline.class)
class PipelineIT {

    private static Pipeline ovation;
    private static OvationClients clients;

    @BeforeAll
    static void useTheSharedPipeline(Pipeline pipeline) {
        ovation = pipeline;
        clients = pipeline.clients();
    }

    @Test
    void shouldCountTheSeedTrafficExactlyWhenSentHalfOverHttpAndHalfOverGrpc() throws Exception {
        // Given the seed's 650 votes, and what the contest default, its log, the meters and the dashboard
        // hashes hold before them (other tests' votes)
        List<JsonNode> seed = OvationClients.seedTraffic();
        assertThat(seed).hasSize(650);
        // (the board, its hashes and gauges, follows the tallies about once a second: wait until it has
        // caught up with the votes of the tests before this one, so that the differences are this test's)
        await().atMost(Duration.ofSeconds(30)).until(PipelineIT::boardCaughtUpWithDefault);
        JsonNode resultsBefore = clients.getResults("/api/contests/default/results").body();
        int logBefore = logEntries("default").size();
        Map<String, Double> ingestMetersBefore = meters(ovation.httpPort());
        Map<String, Double> counterMetersBefore = meters(ovation.counterPort());
        Map<String, Long> boardBandsBefore;
        Map<String, Long> boardAlbumsBefore;
        try (RedisLink redis = RedisLink.open(ovation.infra().redisUri(), Duration.ofSeconds(5))) {
            boardBandsBefore = counts(redis.sync().hgetall("ovation:board:default:bands"));
            boardAlbumsBefore = counts(redis.sync().hgetall("ovation:board:default:albums"));
        }

        // When the even ones go over HTTP (/insert, /, /api/votes, /api/votes/batch) and the odd ones
        // over gRPC (confproto.getInfo, VoteService.Cast, VoteService.CastStream)
        List<CompletableFuture<String>> receiptIds = new ArrayList<>();
        ArrayNode batch = OvationClients.JSON.createArrayNode();
        List<Vote> stream = new ArrayList<>();
        for (int i = 0; i < seed.size(); i++) {
            JsonNode v = seed.get(i);
            if (i % 2 == 0) {
                switch ((i / 2) % 4) {
                    case 0 -> receiptIds.add(accepted(clients.post("/insert", v.toString())));
                    case 1 -> receiptIds.add(accepted(clients.post("/", v.toString())));
                    case 2 -> receiptIds.add(accepted(clients.post("/api/votes", ovationShape(v).toString())));
                    default -> batch.add(ovationShape(v));
                }
            } else {
                switch ((i / 2) % 3) {
                    case 0 -> receiptIds.add(seedReply(clients.seedAsync().returnInfo(requestId.newBuilder()
                            .setName(v.get("name").asText()).setAlbum(v.get("album").asText())
                            .setYear(v.get("year").asText()).setRank(v.get("rank").asText()).build())));
                    case 1 -> receiptIds.add(receipt(clients.votesAsync().cast(grpcVote(v))));
                    default -> stream.add(grpcVote(v));
                }
            }
        }
        JsonNode batchAnswer = clients.postNow("/api/votes/batch", batch.toString()).body();
        List<StreamReceipt> streamReceipts = clients.castStream(stream);

        // Then every vote was acknowledged, each with its own id
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<String> id : receiptIds) {
            ids.add(id.get());
        }
        assertThat(batchAnswer.get("accepted").asInt()).isEqualTo(batch.size());
        batchAnswer.get("results").forEach(r -> ids.add(r.get("id").asText()));
        assertThat(streamReceipts).hasSize(stream.size()).allMatch(StreamReceipt::hasReceipt);
        streamReceipts.forEach(r -> ids.add(r.getReceipt().getId()));
        assertThat(ids).hasSize(650);

        // And the results grew by exactly the seed's counts (the order the API lists them in:
        // ContestsIT, on a contest of its own)
        long totalBefore = resultsBefore.get("total").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.getResults("/api/contests/default/results")
                .body().get("total").asLong() == totalBefore + 650);
        JsonNode results = clients.getResults("/api/contests/default/results").body();
        assertThat(Pipeline.increase(tallies(resultsBefore), tallies(results))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Led Zeppelin", 290L,
                "Led Zeppelin/Houses of the Holy", 120L,
                "Led Zeppelin/Led Zeppelin IV", 90L,
                "Led Zeppelin/Physical Graffiti", 80L,
                "The Beatles", 290L,
                "The Beatles/Abbey Road", 100L,
                "The Beatles/Sgt. Pepper's Lonely Hearts Club Band", 100L,
                "The Beatles/Revolver", 90L,
                "Pink Floyd", 70L,
                "Pink Floyd/The Dark Side of the Moon", 70L));
        assertThat(results.get("duplicates").asLong()).isEqualTo(resultsBefore.get("duplicates").asLong());

        // And the log holds exactly one more entry per acknowledged vote, the newest, newest first, in pages of 500
        JsonNode firstPage = clients.getResults("/api/contests/default/logs?limit=500").body();
        assertThat(firstPage.get("entries")).hasSize(500);
        List<JsonNode> whole = logEntries("default");
        assertThat(whole).hasSize(logBefore + 650);
        List<JsonNode> log = whole.subList(0, 650);
        assertThat(log.stream().map(e -> e.get("id").asText()).toList()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(log.stream().map(e -> Instant.parse(e.get("countedAt").asText())).toList())
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(countBy(log, "protocol")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "seed-http", 163L, "http", 81L, "http-batch", 81L,
                "seed-grpc", 109L, "grpc", 108L, "grpc-stream", 108L));

        // And the latest 20 are served as the live page shows them
        JsonNode latest = clients.getResults("/api/contests/default/logs?limit=20").body();
        assertThat(latest.get("entries")).hasSize(20);
        assertThat(latest.get("entries").get(0).get("id").asText()).isEqualTo(log.get(0).get("id").asText());

        // And the metrics (one registry in standalone: every port serves them all) grew by the same
        assertThat(increase(ingestMetersBefore, meters(ovation.httpPort()),
                "ovation_votes_accepted_total{protocol=\"seed-http\"}",
                "ovation_votes_accepted_total{protocol=\"http\"}",
                "ovation_votes_accepted_total{protocol=\"http-batch\"}",
                "ovation_votes_accepted_total{protocol=\"seed-grpc\"}",
                "ovation_votes_accepted_total{protocol=\"grpc\"}",
                "ovation_votes_accepted_total{protocol=\"grpc-stream\"}",
                "ovation_vote_ack_seconds_count{protocol=\"grpc\"}",
                "ovation_votes_refused_total{protocol=\"http\",reason=\"invalid\"}"))
                .containsExactly(163.0, 81.0, 81.0, 109.0, 108.0, 108.0, 108.0, 0.0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> counter = meters(ovation.counterPort());
            assertThat(increase(counterMetersBefore, counter,
                    "ovation_votes_counted_total{contest=\"default\",outcome=\"counted\"}",
                    "ovation_contest_votes{contest=\"default\"}",
                    "ovation_contest_band_votes{band=\"Led Zeppelin\",contest=\"default\"}",
                    "ovation_contest_band_votes{band=\"Pink Floyd\",contest=\"default\"}"))
                    .containsExactly(650.0, 650.0, 290.0, 70.0);
            assertThat(counter).containsEntry("ovation_counter_assigned_partitions", 6.0)
                    .containsEntry("ovation_consumer_lag_records{partition=\"0\",topic=\"votes\"}", 0.0);
        });
        // And the dashboard hashes that Grafana's Redis panels read grew by the same tallies
        try (RedisLink redis = RedisLink.open(ovation.infra().redisUri(), Duration.ofSeconds(5))) {
            // the results role rewrites them about once a second after the tallies change
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(Pipeline.increase(boardBandsBefore, counts(redis.sync().hgetall("ovation:board:default:bands"))))
                        .containsExactlyInAnyOrderEntriesOf(Map.of("Led Zeppelin", 290L, "The Beatles", 290L,
                                "Pink Floyd", 70L));
                assertThat(Pipeline.increase(boardAlbumsBefore, counts(redis.sync().hgetall("ovation:board:default:albums"))))
                        .hasSize(7)
                        .containsEntry("Led Zeppelin / Houses of the Holy", 120L)
                        .containsEntry("Pink Floyd / The Dark Side of the Moon", 70L);
            });
        }
    }

    /** Every entry of a contest's log, newest first, page after page. */
    private static List<JsonNode> logEntries(String contest) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = clients.getResults("/api/contests/" + contest + "/logs?limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor)).body();
            page.get("entries").forEach(entries::add);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        return entries;
    }

    /** How much each of {@code series} grew from one scrape to the next (a series not yet there counts as 0). */
    private static List<Double> increase(Map<String, Double> before, Map<String, Double> after, String... series) {
        return List.of(series).stream().map(s -> after.getOrDefault(s, Double.NaN) - before.getOrDefault(s, 0.0))
                .toList();
    }

    /** Whether the contest board's gauge and hash of {@code default} show the total its results show. */
    private static boolean boardCaughtUpWithDefault() throws Exception {
        long total = clients.getResults("/api/contests/default/results").body().get("total").asLong();
        double gauge = meters(ovation.counterPort()).getOrDefault("ovation_contest_votes{contest=\"default\"}", 0.0);
        long board;
        try (RedisLink redis = RedisLink.open(ovation.infra().redisUri(), Duration.ofSeconds(5))) {
            board = counts(redis.sync().hgetall("ovation:board:default:bands")).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
        return gauge == total && board == total;
    }

    private static Map<String, Long> counts(Map<String, String> hash) {
        Map<String, Long> counts = new LinkedHashMap<>();
        hash.forEach((key, value) -> counts.put(key, Long.parseLong(value)));
        return counts;
    }

    /** A scrape of {@code /metrics} as series (name and labels, as printed) to value. */
    private static Map<String, Double> meters(int port) throws Exception {
        Map<String, Double> meters = new LinkedHashMap<>();
        for (String line : scrape(port).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                meters.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return meters;
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldServeTheLivePageAndHealth() {
        assertThat(clients.getIngest("/health/live").status()).isEqualTo(200);
        assertThat(clients.getIngest("/health/ready").body().get("checks").get("kafka").asText()).isEqualTo("UP");
        JsonNode ready = clients.getResults("/health/ready").body();
        assertThat(ready.get("status").asText()).isEqualTo("UP");
        assertThat(ready.get("checks").get("redis").asText()).isEqualTo("UP");
        assertThat(ready.get("checks").get("mongodb").asText()).isEqualTo("UP");
        // the counter has its own port for health and metrics
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(health(ovation.counterPort()))
                .contains("\"status\":\"UP\"").contains("\"kafka\":\"UP\"").contains("\"redis\":\"UP\"")
                .contains("\"mongodb\":\"UP\"").contains("\"counting\":\"UP\""));
        assertThat(clients.getIngest("/").body().get("service").asText()).isEqualTo("ovation-ingest");
        // (the shared standalone has an admin token: that the admin API is disabled without one is
        // ContestAdminApiIT's, in ovation-ingest)
    }

    private static String health(int port) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static CompletableFuture<String> accepted(CompletableFuture<OvationClients.Answer> answer) {
        return answer.thenApply(a -> {
            assertThat(a.status()).as("answer %s", a.body()).isEqualTo(202);
            assertThat(a.body().get("contest").asText()).isEqualTo("default");
            return a.body().get("id").asText();
        });
    }

    private static CompletableFuture<String> receipt(ListenableFuture<Receipt> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.get().getId();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final Pattern SEED_INFO = Pattern.compile("vote (\\S+) for .* accepted in contest default");

    private static CompletableFuture<String> seedReply(ListenableFuture<replyInfo> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Matcher m = SEED_INFO.matcher(call.get().getInfo());
                assertThat(m.matches()).isTrue();
                return m.group(1);
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ObjectNode ovationShape(JsonNode seedVote) {
        return OvationClients.JSON.createObjectNode()
                .put("band", seedVote.get("name").asText())
                .put("album", seedVote.get("album").asText())
                .put("year", seedVote.get("year").asText())
                .put("rank", seedVote.get("rank").asText());
    }

    private static Vote grpcVote(JsonNode v) {
        return Vote.newBuilder().setBand(v.get("name").asText()).setAlbum(v.get("album").asText())
                .setYear(v.get("year").asText()).setRank(v.get("rank").asText()).build();
    }

    /** Band and band/album counts, in the order the API lists them. */
    static Map<String, Long> tallies(JsonNode results) {
        Map<String, Long> tallies = new LinkedHashMap<>();
        for (JsonNode band : results.get("bands")) {
            tallies.put(band.get("band").asText(), band.get("votes").asLong());
            for (JsonNode album : band.get("albums")) {
                tallies.put(band.get("band").asText() + "/" + album.get("album").asText(), album.get("votes").asLong());
            }
        }
        return tallies;
    }

    private static Map<String, Long> countBy(List<JsonNode> entries, String field) {
        Map<String, Long> counts = new LinkedHashMap<>();
        entries.forEach(e -> counts.merge(e.get(field).asText(), 1L, Long::sum));
        return counts;
    }
}
