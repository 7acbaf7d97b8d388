package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ovation.chaos.ChaosCommand;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The short version of the fault matrix (docs/reliability.md), on a cluster of real processes in
 * network namespaces ({@code bench/cluster/up.sh}): three Kafka brokers, a Redis Cluster of three
 * masters and three replicas, two ingest replicas, two counters, one results replica. Three faults, each
 * with load before, during and after: the broker leading most {@code votes} partitions SIGKILLed, a
 * counter paused past its session timeout, a Redis master killed with writes its replica never got.
 * Every acknowledged vote must be counted exactly once, and tallies, recount and log agree.
 *
 * <p>Needs root, {@code ip}, {@code iptables} and {@code redis-cli}, which {@code .ci/run} installs; in CI
 * ({@code CI=true}) their absence fails the test, elsewhere it is skipped saying what is missing.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ClusterChaosIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        String missing = missingPrerequisites();
        if (!missing.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("the cluster test needs " + missing + " (.ci/run installs them)");
            }
            assumeTrue(false, "skipped: the cluster test needs " + missing);
        }
        dir = Files.createTempDirectory("ovation-cluster");
        run(List.of("bash", ROOT.resolve("bench/cluster/up.sh").toString(), dir.toString()),
                Map.of("INGESTS", "2", "COUNTERS", "2", "RESULTS", "1", "PARTITIONS", "6"), 5);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (dir != null) {
            run(List.of("bash", ROOT.resolve("bench/cluster/down.sh").toString(), dir.toString()), Map.of(), 2);
        }
    }

    @Test
    void shouldCreateTheTopicsWithTheBrokersReplicationAndMinInSyncReplicas() throws Exception {
        String kafka = Files.readAllLines(dir.resolve("cluster.env")).stream().filter(l -> l.startsWith("KAFKA="))
                .findFirst().orElseThrow().substring("KAFKA=".length());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            List<String> topics = List.of("votes", "votes.dead-letters", "contests");
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            for (String topic : topics) {
                assertThat(described.get(topic).partitions()).as(topic)
                        .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                ConfigEntry minIsr = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                        .get(resource).get("min.insync.replicas");
                assertThat(minIsr.value()).as(topic).isEqualTo("2");
                // the brokers' setting, not one Ovation put on the topic
                assertThat(minIsr.source()).as(topic).isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            }
        }
    }

    @Test
    void shouldCountEveryAcknowledgedVoteExactlyOnceThroughABrokerKillACounterPauseAndARedisFailover() throws Exception {
        List<String> faults = List.of("broker-kill", "counter-pause", "redis-master-kill-at-end");
        int exit = new CommandLine(new ChaosCommand()).execute("--cluster", dir.toString(), "--fault",
                String.join(",", faults), "--rate", "100", "--before", "5s", "--during", "12s", "--after", "6s");

        ObjectMapper json = new ObjectMapper();
        for (String fault : faults) {
            JsonNode run = json.readTree(dir.resolve("chaos").resolve(fault + ".json").toFile());
            JsonNode verdict = run.get("verdict");
            String seen = fault + ": " + verdict + "\nevents " + run.get("events") + "\n" + logTails();
            assertThat(verdict.get("acknowledged").asLong()).as(seen).isGreaterThan(400);
            assertThat(verdict.get("lost").asLong()).as(seen).isZero();
            assertThat(verdict.get("doubled").asLong()).as(seen).isZero();
            assertThat(verdict.get("invented").asLong()).as(seen).isZero();
            assertThat(verdict.get("recountAgrees").asBoolean()).as(seen).isTrue();
            assertThat(verdict.get("tallyTotal").asLong()).as(seen)
                    .isEqualTo(verdict.get("idsCounted").asLong())
                    .isEqualTo(verdict.get("recountTotal").asLong())
                    .isEqualTo(verdict.get("logEntries").asLong());
            assertThat(run.get("settleMillis").asLong()).as(seen).isNotNegative();
        }
        assertThat(exit).isZero();
    }

    private static String missingPrerequisites() {
        StringBuilder missing = new StringBuilder();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.append(" root");
        }
        for (String tool : List.of("ip", "iptables", "redis-cli", "curl")) {
            if (Stream.of(System.getenv("PATH").split(File.pathSeparator))
                    .noneMatch(p -> Files.isExecutable(Path.of(p, tool)))) {
                missing.append(' ').append(tool);
            }
        }
        return missing.toString().trim();
    }

    private static String logTails() throws IOException {
        StringBuilder tails = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                tails.append("--- ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 8), lines.size()).forEach(l -> tails.append(l).append('\n'));
            }
        }
        return tails.toString();
    }

    private static void run(List<String> command, Map<String, String> env, int minutes) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(minutes, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output
                    + (dir != null && Files.isDirectory(dir.resolve("logs")) ? logTails() : ""));
        }
    }
}
