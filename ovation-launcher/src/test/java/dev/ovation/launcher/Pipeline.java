package dev.ovation.launcher;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovation.infra.EmbeddedInfrastructure;
import dev.ovation.infra.InfraSettings;
import dev.ovation.model.Env;
import dev.ovation.store.VotesTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The one standalone that the integration tests of this module share ({@link SharedPipeline}):
 * started on free ports and a data directory of its own, with an admin token so that each test
 * can have contests of its own ({@link #createContest}), and no warm-up. Closed once, when every
 * test class of the run is done.
 *
 * <p>Everything a test sees here may hold other tests' votes: contests other than its own, the
 * {@code default} contest (where the seed's shapes always vote), the votes topic, the dead letters
 * and the process-wide meters. A test reads those as a difference from what they held when it
 * began; JUnit runs this module's tests one at a time, so that difference is exactly its own.
 */
final class Pipeline implements AutoCloseable {

    /** The admin API's bearer token on the shared standalone. */
    static final String ADMIN_TOKEN = "shared-pipeline-admin-token";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Standalone standalone;
    private final OvationClients clients;
    private final Admin kafkaAdmin;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger contests = new AtomicInteger();

    private Pipeline(Path dataDir, Standalone standalone) {
        this.dataDir = dataDir;
        this.standalone = standalone;
        this.clients = new OvationClients(standalone.httpPort(), standalone.grpcPort(), standalone.resultsPort());
        this.kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                standalone.infra().kafkaBootstrapServers()));
    }

    /** Starts a standalone as {@code ./ovation standalone} does, on free ports, with its data in a new temporary directory. */
    static Pipeline start() throws Exception {
        Path dataDir = Files.createTempDirectory("ovation-shared-pipeline-");
        Standalone standalone = Standalone.start(new Env(Map.of("OVATION_WARMUP_SECONDS", "0",
                "OVATION_ADMIN_TOKEN", ADMIN_TOKEN)), InfraSettings.onFreePorts(dataDir), "127.0.0.1", 0, 0, 0, 0, null);
        return new Pipeline(dataDir, standalone);
    }

    int httpPort() {
        return standalone.httpPort();
    }

    int grpcPort() {
        return standalone.grpcPort();
    }

    int resultsPort() {
        return standalone.resultsPort();
    }

    int counterPort() {
        return standalone.counterPort();
    }

    EmbeddedInfrastructure infra() {
        return standalone.infra();
    }

    /** HTTP and gRPC clients of the shared standalone; closed with it, never by a test. */
    OvationClients clients() {
        return clients;
    }

    /** A contest id no other test has: {@code <hint>-<n>}, made of the characters a contest id takes. */
    String newContestId(String hint) {
        String base = hint.toLowerCase().replaceAll("[^a-z0-9_-]", "");
        return (base.isEmpty() ? "test" : base.substring(0, Math.min(base.length(), 48))) + "-"
                + contests.incrementAndGet();
    }

    /**
     * Creates a contest of a new id through the admin API, as an organiser does, and returns once the
     * results API knows it too.
     *
     * @param hint       the start of its id (the test class's name, for one)
     * @param definition the contest's JSON without its id ({@code {}}: open, no catalog, default limits),
     *                   as {@code POST /api/admin/contests} takes it
     */
    TestContest createContest(String hint, String definition) {
        String id = newContestId(hint);
        try {
            ObjectNode contest = (ObjectNode) OvationClients.JSON.readTree(definition);
            contest.put("id", id);
            HttpResponse<String> created = admin("POST", "/api/admin/contests", contest.toString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("the admin API did not create contest " + contest + ": "
                        + created.statusCode() + " " + created.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the results role follows the contests topic: it knows a new contest a moment later
        await().atMost(DEADLINE).until(() -> clients.getResults("/api/contests/" + id).status() == 200);
        return new TestContest(id);
    }

    /**
     * What grew from {@code before} to {@code after}, by key (keys that did not grow left out): what a
     * test did to counts it shares with the other tests.
     */
    static Map<String, Long> increase(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> grown = new TreeMap<>();
        after.forEach((key, count) -> {
            long more = count - before.getOrDefault(key, 0L);
            if (more != 0) {
                grown.put(key, more);
            }
        });
        return grown;
    }

    /** A call to the admin API with the shared standalone's token. */
    HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .timeout(DEADLINE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records in the votes topic, every test's: the sum of its partitions' end offsets. */
    long votesTopicRecords() throws Exception {
        String topic = VotesTopic.DEFAULT_NAME;
        Map<TopicPartition, OffsetSpec> latest = kafkaAdmin.describeTopics(List.of(topic)).allTopicNames().get()
                .get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return kafkaAdmin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    /** The JSON of a results API path, read now. */
    JsonNode results(String path) {
        return clients.getResults(path).body();
    }

    /** Stops the clients, then the standalone (ingest first, infrastructure last), then deletes its data. */
    @Override
    public void close() throws Exception {
        try (AutoCloseable data = () -> deleteTree(dataDir); AutoCloseable s = standalone; AutoCloseable c = clients;
             AutoCloseable a = kafkaAdmin) {
            // closed in reverse order: the Kafka admin and the clients, the standalone, its data
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "the shared standalone (HTTP " + httpPort() + ", gRPC " + grpcPort() + ", results " + resultsPort()
                + ", data in " + dataDir + ")";
    }
}
