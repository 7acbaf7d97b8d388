package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.store.RedisLink;
import dev.ovation.store.VotesTopic;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Grafana dashboard {@code deploy/grafana/dashboards/ovation-live.json} against the real
 * thing: the whole pipeline in one process, as {@code ./ovation standalone} runs it, scraped every
 * second by a real Prometheus (Debian's {@code /usr/bin/prometheus}). A known set of votes goes in,
 * with refused ones, one over a voter's limit, one sent twice and a record that is no vote. Then
 * every PromQL expression of the dashboard must answer at least one series, with a number (not
 * NaN) in one of them, and every Redis command of its panels must answer exactly the tallies of
 * those votes. Grafana itself does not run here: what is tested is that each query, as Grafana
 * would send it, finds its data.
 *
 * <p>On the shared standalone: the votes go to a contest of the class's own, exact; the meters summed
 * over every contest (accepted, refused, dead letters) are compared with what Prometheus read before
 * the votes, since other tests' votes are in them too.
 *
 * <p>Without {@code /usr/bin/prometheus} the test is skipped with a message, except under
 * {@code CI=true}, where it fails ({@code .ci/run} installs the package).
 */
@ExtendWith(SharedPipeline.class)
class DashboardIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardIT.class);

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "ovation-live.json");

    private static final String VOTER = "+50255550100";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    /** The contest the votes go to, "Gala night": made for this class on the shared standalone. */
    private static String gala;
    /**
     * The values the dashboard's variables take here. Grafana computes the interval variables from
     * the time range and the scrape interval; these are fixed windows that still hold the votes'
     * increase when a slow machine gets to the queries minutes later.
     */
    private static Map<String, String> queryVariables;
    private static Pipeline ovation;
    private static OvationClients clients;
    private static PrometheusServer prometheus;
    private static RedisLink redis;
    private static GrafanaDashboard dashboard;
    private static String skipped;

    // what the votes below must add up to
    private static final Map<String, Long> BANDS = new TreeMap<>();
    private static final Map<String, Long> ALBUMS = new TreeMap<>();
    private static final Map<String, Long> REFUSED = new TreeMap<>();
    private static long accepted;
    // what the meters summed over every contest held before them
    private static Map<String, Long> acceptedBefore;
    private static Map<String, Long> refusedBefore;
    private static Map<String, Long> deadLettersBefore;

    @BeforeAll
    static void startPrometheusThenVote(Pipeline pipeline) throws Exception {
        Path binary = PrometheusServer.DEBIAN_BINARY;
        if (!Files.isExecutable(binary)) {
            String missing = binary + " is missing: install Debian's prometheus package (apt-get install -y prometheus)"
                    + " to test the Grafana dashboard's queries";
            if ("true".equals(System.getenv("CI"))) {
                fail(missing);
            }
            skipped = missing;
            LOG.warn("DashboardIT skipped: {}", missing);
            return;
        }
        dashboard = GrafanaDashboard.read(DASHBOARD);
        ovation = pipeline;
        clients = pipeline.clients();
        gala = pipeline.createContest("gala", """
                {"title": "Gala night", "votesPerVoter": 2, "catalog": {
                  "The Beatles": ["Abbey Road", "Revolver"],
                  "Led Zeppelin": ["Led Zeppelin IV"],
                  "Pink Floyd": ["The Dark Side of the Moon"]}}
                """).id();
        queryVariables = Map.of(
                "contest", gala,
                "__rate_interval", "5m",
                "__interval", "5s",
                "__range", "10m");
        redis = RedisLink.open(ovation.infra().redisUri(), Duration.ofSeconds(10));
        // standalone serves the same metrics on each of its ports: one scrape target, as in deploy/prometheus
        prometheus = PrometheusServer.start(binary, dir.resolve("prometheus"), "ovation",
                "127.0.0.1:" + ovation.httpPort());
        await().atMost(DEADLINE).until(() -> !prometheus.query("up{job=\"ovation\"} == 1").series().isEmpty());
        // a scrape before the votes: what other tests left in the meters summed over every contest
        acceptedBefore = byLabel("sum(ovation_votes_accepted_total)", null);
        refusedBefore = byLabel("sum by (reason) (ovation_votes_refused_total)", "reason");
        deadLettersBefore = byLabel("sum by (reason) (ovation_dead_letters_total)", "reason");
        sendTheVotes();
        await().atMost(DEADLINE).untilAsserted(() -> {
            JsonNode results = clients.getResults("/api/contests/" + gala + "/results").body();
            assertThat(results.path("total").asLong()).as("results %s", results).isEqualTo(total(BANDS));
        });
    }

    /** Each test is reported as skipped, with the reason, when there is no Prometheus to run. */
    @BeforeEach
    void requirePrometheus() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void stop() throws Exception {
        // closed in reverse order, Prometheus first; one never started (null) is skipped
        try (AutoCloseable r = redis; AutoCloseable p = prometheus) {
            LOG.info("stopping Prometheus and the Redis client");
        }
    }

    @Test
    void shouldAnswerEveryPrometheusQueryOfTheDashboardWithAtLeastOneSeries() {
        List<GrafanaDashboard.PromQuery> queries = dashboard.prometheusQueries();
        assertThat(queries).as("the dashboard's Prometheus targets").hasSizeGreaterThanOrEqualTo(10);

        // a query Prometheus cannot parse fails at once, without waiting for data
        for (GrafanaDashboard.PromQuery q : queries) {
            PrometheusServer.Answer answer = prometheus.query(GrafanaDashboard.substitute(q.expr(), queryVariables));
            assertThat(answer.error()).as("Prometheus's answer to %s", q).isNull();
        }
        // every query finds its series, and a number in one of them (a quantile of buckets that never
        // grew is NaN), once a few scrapes are in; all the queries that never do are reported at once
        await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(queries.stream().filter(q -> seriesOf(q).stream().noneMatch(DashboardIT::hasNumber))
                        .map(String::valueOf))
                        .as("dashboard queries without a series, or with NaN in every one (Prometheus at %s)",
                                prometheus.url())
                        .isEmpty());
        queries.forEach(q -> LOG.info("{} -> {}", q, seriesOf(q)));
    }

    private static List<JsonNode> seriesOf(GrafanaDashboard.PromQuery q) {
        return prometheus.query(GrafanaDashboard.substitute(q.expr(), queryVariables)).series();
    }

    private static boolean hasNumber(JsonNode series) {
        return !Double.isNaN(series.path("value").path(1).asDouble(Double.NaN));
    }

    @Test
    void shouldListTheContestInTheContestVariable() {
        List<GrafanaDashboard.Variable> variables = dashboard.variables();
        assertThat(variables).extracting(GrafanaDashboard.Variable::name).containsExactly("contest");
        GrafanaDashboard.Variable contest = variables.get(0);
        assertThat(contest.datasourceType()).isEqualTo(GrafanaDashboard.PROMETHEUS);
        // label_values(metric, label), which Grafana sends as /api/v1/label/<label>/values?match[]=<metric>
        Matcher m = Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)")
                .matcher(contest.query());
        assertThat(m.matches()).as("variable query %s", contest.query()).isTrue();
        await().atMost(DEADLINE).untilAsserted(() ->
                assertThat(prometheus.labelValues(m.group(2), m.group(1))).contains(gala));
    }

    @Test
    void shouldAnswerEveryRedisPanelWithTheExactTallies() {
        List<GrafanaDashboard.RedisQuery> queries = dashboard.redisQueries();
        Map<String, Map<String, Long>> expected = Map.of(
                "ovation:board:" + gala + ":bands", BANDS,
                "ovation:board:" + gala + ":albums", ALBUMS);
        assertThat(queries.stream().map(q -> GrafanaDashboard.substitute(q.keyName(), queryVariables)))
                .as("the keys the Redis panels read").containsExactlyInAnyOrderElementsOf(expected.keySet());

        for (GrafanaDashboard.RedisQuery q : queries) {
            assertThat(q.command()).as("the command of %s (the only one this test runs)", q).isEqualToIgnoringCase("hgetall");
            String key = GrafanaDashboard.substitute(q.keyName(), queryVariables);
            // the results role rewrites the board about once a second after the tallies change
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(hgetall(key)).as("%s", q).isEqualTo(expected.get(key)));
            LOG.info("{} -> {}", q, hgetall(key));
        }
    }

    @Test
    void shouldExportTheExactCountsThePanelsChart() {
        await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String ofContest = "{contest=\"" + gala + "\"}";
            assertThat(byLabel("max(ovation_contest_votes" + ofContest + ")", null))
                    .containsExactly(Map.entry("", total(BANDS)));
            assertThat(byLabel("max by (band) (ovation_contest_band_votes" + ofContest + ")", "band"))
                    .isEqualTo(BANDS);
            assertThat(byLabel("max by (reason) (ovation_contest_rejected_votes" + ofContest + ")", "reason"))
                    .containsExactly(Map.entry("voter_limit", 1L));
            assertThat(byLabel("sum by (outcome) (ovation_votes_counted_total" + ofContest + ")", "outcome"))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("counted", total(BANDS), "duplicate", 1L, "over_limit", 1L));
            assertThat(Pipeline.increase(acceptedBefore, byLabel("sum(ovation_votes_accepted_total)", null)))
                    .containsExactly(Map.entry("", accepted));
            assertThat(Pipeline.increase(refusedBefore, byLabel("sum by (reason) (ovation_votes_refused_total)", "reason")))
                    .isEqualTo(REFUSED);
            assertThat(Pipeline.increase(deadLettersBefore, byLabel("sum by (reason) (ovation_dead_letters_total)", "reason")))
                    .containsExactly(Map.entry("undecodable", 1L));
        });
    }

    /** The known votes, over HTTP (single and batch) and gRPC (single and stream), and the refused ones. */
    private static void sendTheVotes() throws Exception {
        for (int i = 0; i < 6; i++) {
            acceptedOverHttp(vote("The Beatles", "Abbey Road"));
        }
        expect("The Beatles", "Abbey Road", 6);
        // a scrape between these and the rest, so that the counters first seen with these votes
        // increase afterwards: their rates and the latency quantiles then have a value
        await().atMost(DEADLINE).until(() -> byLabel("sum(ovation_votes_counted_total{contest=\"" + gala + "\"})", null)
                .getOrDefault("", 0L) == total(BANDS));

        // a batch of four good votes and one without an album
        String good = vote("Led Zeppelin", "Led Zeppelin IV").toString();
        JsonNode batch = clients.postNow("/api/votes/batch",
                "[" + String.join(",", good, good, good, good, "{\"contest\":\"" + gala + "\",\"band\":\"Led Zeppelin\"}") + "]")
                .body();
        assertThat(batch.get("accepted").asInt()).as("batch answer %s", batch).isEqualTo(4);
        accepted += 4;
        expect("Led Zeppelin", "Led Zeppelin IV", 4);
        refused("invalid");

        for (int i = 0; i < 3; i++) {
            assertThat(clients.votes().cast(grpcVote("The Beatles", "Revolver")).getId()).isNotEmpty();
            accepted++;
        }
        expect("The Beatles", "Revolver", 3);
        Vote floyd = grpcVote("Pink Floyd", "The Dark Side of the Moon");
        assertThat(clients.castStream(List.of(floyd, floyd))).hasSize(2).allMatch(StreamReceipt::hasReceipt);
        accepted += 2;
        expect("Pink Floyd", "The Dark Side of the Moon", 2);

        // one voter, three votes, one after the other: the contest counts two per voter, the third is rejected
        acceptedOverHttp(vote("The Beatles", "Revolver").put("voter", VOTER));
        acceptedOverHttp(vote("Led Zeppelin", "Led Zeppelin IV").put("voter", VOTER));
        acceptedOverHttp(vote("Pink Floyd", "The Dark Side of the Moon").put("voter", VOTER));
        expect("The Beatles", "Revolver", 1);
        expect("Led Zeppelin", "Led Zeppelin IV", 1);

        // the same id twice: stored twice, counted once
        acceptedOverHttp(vote("Pink Floyd", "The Dark Side of the Moon").put("id", "dashboard-resent-1"));
        acceptedOverHttp(vote("Pink Floyd", "The Dark Side of the Moon").put("id", "dashboard-resent-1"));
        expect("Pink Floyd", "The Dark Side of the Moon", 1);

        // refused at ingest: nothing published
        assertThat(clients.postNow("/api/votes", "{\"contest\":\"" + gala + "\",\"album\":\"Abbey Road\"}").status())
                .isEqualTo(400);
        refused("invalid");
        assertThat(clients.postNow("/api/votes", vote("Queen", "Jazz").toString()).status()).isEqualTo(422);
        refused("not_in_catalog");
        assertThat(clients.postNow("/api/votes", vote("Queen", "Jazz").put("contest", "nobody").toString()).status())
                .isEqualTo(404);
        refused("unknown_contest");
        String closedByHand = ovation.createContest("closed-by-hand", "{\"state\": \"closed\"}").id();
        assertThat(clients.postNow("/api/votes", vote("Queen", "Jazz").put("contest", closedByHand).toString())
                .status()).isEqualTo(409);
        refused("contest_closed");
        assertThatThrownBy(() -> clients.votes().cast(grpcVote("Queen", "Jazz"))).isInstanceOf(StatusRuntimeException.class);
        refused("not_in_catalog");

        // and bytes that are no vote, written to the topic past the ingest: the counter sets them aside
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ovation.infra().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(VotesTopic.DEFAULT_NAME, "poison",
                    "not a vote".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    private static void acceptedOverHttp(ObjectNode vote) {
        OvationClients.Answer answer = clients.postNow("/api/votes", vote.toString());
        assertThat(answer.status()).as("answer %s to %s", answer.body(), vote).isEqualTo(202);
        accepted++;
    }

    private static ObjectNode vote(String band, String album) {
        return OvationClients.JSON.createObjectNode().put("contest", gala).put("band", band).put("album", album);
    }

    private static Vote grpcVote(String band, String album) {
        return Vote.newBuilder().setContest(gala).setBand(band).setAlbum(album).build();
    }

    private static void expect(String band, String album, long votes) {
        BANDS.merge(band, votes, Long::sum);
        ALBUMS.merge(band + " / " + album, votes, Long::sum);
    }

    private static void refused(String reason) {
        REFUSED.merge(reason, 1L, Long::sum);
    }

    private static long total(Map<String, Long> tallies) {
        return tallies.values().stream().mapToLong(Long::longValue).sum();
    }

    /** HGETALL with the project's Redis client, values read as counts. */
    private static Map<String, Long> hgetall(String key) {
        return redis.sync().hgetall(key).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Long.parseLong(e.getValue()), (a, b) -> a, TreeMap::new));
    }

    /**
     * An instant query's values by one label, leaving out series at 0 (meters registered before
     * their first event); {@code null} label: the one series of an aggregate, under "".
     */
    private static Map<String, Long> byLabel(String expr, String label) {
        PrometheusServer.Answer answer = prometheus.query(expr);
        assertThat(answer.error()).as(expr).isNull();
        Map<String, Long> values = new TreeMap<>();
        for (JsonNode series : answer.series()) {
            long value = Math.round(series.path("value").get(1).asDouble());
            if (label == null) {
                values.put("", value);
            } else if (value != 0) {
                values.put(series.path("metric").path(label).asText(), value);
            }
        }
        return values;
    }
}
