package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Locust users of {@code bench/locust/locustfile.py} against the whole pipeline in one process: a
 * short headless run of every user class, after which the results count exactly the votes Locust saw
 * acknowledged.
 *
 * <p>On the shared standalone: the votes in Ovation's shape go to a contest of the test's own; the
 * seed's shapes always vote in {@code default}, which other tests vote in too (one at a time), so
 * what it counts there is the difference from what it held when the run began.
 *
 * <p>Needs Debian's {@code python3-locust}, {@code python3-grpcio}, {@code python3-protobuf} and
 * {@code protobuf-compiler}; in CI ({@code CI=true}) their absence fails the test, elsewhere it is
 * skipped saying what is missing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(SharedPipeline.class)
class LocustIT {

    private static final Path LOCUSTFILE = Path.of("..", "bench", "locust", "locustfile.py").toAbsolutePath().normalize();
    private static final int BATCH_SIZE = 10;
    /** Votes in one successful request, by the request names of the locustfile's five user classes. */
    private static final Map<String, Integer> VOTES_PER_REQUEST = Map.of(
            "/api/votes", 1,
            "/api/votes/batch", BATCH_SIZE,
            "/insert", 1,
            "ovation.v1.VoteService/Cast", 1,
            "confproto.getInfo/returnInfo", 1);
    /** The request names of the seed's shapes, whose votes go to the contest {@code default}. */
    private static final Set<String> SEED_REQUESTS = Set.of("/insert", "confproto.getInfo/returnInfo");

    private static String locust;

    /** Skips (or, in CI, fails) before the shared standalone is asked for when Locust cannot run here. */
    @BeforeAll
    static void requireLocust(@TempDir Path checkDir) throws Exception {
        Optional<String> missing = locustMissing(checkDir);
        if (missing.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("the Locust test needs " + missing.get());
            }
            System.err.println("SKIPPED LocustIT: the Locust test needs " + missing.get());
            assumeTrue(false, "the Locust test needs " + missing.get());
        }
    }

    @Test
    void shouldCountExactlyTheVotesLocustSawAcknowledgedOverEveryUserClass(Pipeline ovation, TestContest contest,
                                                                          @TempDir Path out) throws Exception {
        // Given the contest of this test, which holds no vote, and what the contest default holds now
        OvationClients clients = ovation.clients();
        JsonNode defaultBefore = clients.getResults("/api/contests/default/results").body();
        // When 10 Locust users, two of each class, vote for 5 s, each finishing its last vote
        List<String> command = List.of(locust, "-f", LOCUSTFILE.toString(), "--headless", "-u", "10", "-r", "10",
                "-t", "5s", "--stop-timeout", "20", "--only-summary",
                "--host", "http://127.0.0.1:" + ovation.httpPort(),
                "--grpc-target", "127.0.0.1:" + ovation.grpcPort(), "--contest", contest.id(),
                "--batch-size", String.valueOf(BATCH_SIZE), "--csv", out.resolve("run").toString(),
                "OvationHttpVoter", "OvationHttpBatchVoter", "SeedHttpVoter", "OvationGrpcVoter", "SeedGrpcVoter");
        Path log = out.resolve("locust.log");
        Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(2, TimeUnit.MINUTES)) {
            run.destroyForcibly();
            throw new IllegalStateException("Locust did not stop within 2 minutes:\n" + Files.readString(log));
        }

        // Then every request of every class succeeded
        String seen = "locust exited " + run.exitValue() + ":\n" + Files.readString(log);
        Map<String, RequestCounts> stats = finalStats(out.resolve("run_final_stats.csv"));
        assertThat(stats).as(seen).containsOnlyKeys(VOTES_PER_REQUEST.keySet());
        assertThat(stats.values()).as(seen).allSatisfy(counts -> {
            assertThat(counts.requests()).isPositive();
            assertThat(counts.failures()).isZero();
        });
        assertThat(run.exitValue()).as(seen).isZero();

        // and the results count each acknowledged vote once, in its contest: no more, no fewer
        long acknowledged = acknowledged(stats, name -> !SEED_REQUESTS.contains(name));
        long acknowledgedSeed = acknowledged(stats, SEED_REQUESTS::contains);
        assertThat(acknowledgedSeed).isPositive();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> clients.getResults(contest.path("/results")).body().get("total").asLong(),
                        total -> total >= acknowledged);
        JsonNode results = clients.getResults(contest.path("/results")).body();
        assertThat(results.get("total").asLong()).as("%s%n%s", results, seen).isEqualTo(acknowledged);
        assertThat(results.get("duplicates").asLong()).isZero();
        assertThat(results.get("rejected").size()).isZero();
        long defaultTotalBefore = defaultBefore.get("total").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> clients.getResults("/api/contests/default/results").body().get("total").asLong(),
                        total -> total >= defaultTotalBefore + acknowledgedSeed);
        JsonNode seedResults = clients.getResults("/api/contests/default/results").body();
        assertThat(seedResults.get("total").asLong() - defaultTotalBefore).as("%s%n%s", seedResults, seen)
                .isEqualTo(acknowledgedSeed);
        assertThat(seedResults.get("duplicates").asLong()).isEqualTo(defaultBefore.get("duplicates").asLong());
        assertThat(seedResults.get("rejected")).isEqualTo(defaultBefore.get("rejected"));
    }

    /** Votes acknowledged by the requests whose names pass {@code names}. */
    private static long acknowledged(Map<String, RequestCounts> stats, Predicate<String> names) {
        return stats.entrySet().stream().filter(e -> names.test(e.getKey()))
                .mapToLong(e -> (e.getValue().requests() - e.getValue().failures()) * VOTES_PER_REQUEST.get(e.getKey()))
                .sum();
    }

    /** Requests and failures of one request name. */
    private record RequestCounts(long requests, long failures) {
    }

    /** Reads the locustfile's PREFIX_final_stats.csv (Locust's stats columns), without the Aggregated row. */
    private static Map<String, RequestCounts> finalStats(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        int type = header.indexOf("Type");
        int name = header.indexOf("Name");
        int requests = header.indexOf("Request Count");
        int failures = header.indexOf("Failure Count");
        Map<String, RequestCounts> stats = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            // the locustfile's request names hold no comma or quote
            String[] cells = line.split(",");
            if (!cells[type].isEmpty()) {
                stats.put(cells[name], new RequestCounts(Long.parseLong(cells[requests]), Long.parseLong(cells[failures])));
            }
        }
        return stats;
    }

    /**
     * Finds {@code locust} on the PATH and lists the locustfile's users with it, which compiles the
     * .proto files and imports gRPC; what is missing, if that fails.
     */
    private static Optional<String> locustMissing(Path dir) throws Exception {
        Optional<Path> found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(p -> Path.of(p, "locust")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            return Optional.of("locust on the PATH (apt-get install python3-locust python3-grpcio python3-protobuf"
                    + " protobuf-compiler)");
        }
        locust = found.get().toString();
        List<String> command = new ArrayList<>(List.of(locust, "-f", LOCUSTFILE.toString(), "--list"));
        Path log = dir.resolve("locust-list.log");
        Process list = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!list.waitFor(1, TimeUnit.MINUTES)) {
            list.destroyForcibly();
            return Optional.of(String.join(" ", command) + " to answer within a minute");
        }
        return list.exitValue() == 0 ? Optional.empty()
                : Optional.of(String.join(" ", command) + " to succeed; it printed:\n" + Files.readString(log));
    }
}
