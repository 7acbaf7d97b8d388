package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.store.ContestTally;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every acknowledged vote is counted exactly once, whatever crashes. The infrastructure runs in
 * this JVM (a Kafka broker, a Redis server process, a MongoDB-wire server, as {@code ./ovation
 * infra} runs them) so the test can stop and kill it; the ingest and the counters run as separate
 * processes from the launcher jar and are killed with SIGKILL. A client casts votes with ids it
 * chooses, retries what is not acknowledged with the same id, and at the end the tallies and the
 * log must hold exactly the acknowledged ids.
 */
class FaultToleranceIT {

    private static final String HOST = "127.0.0.1";
    /** The contests the roles vote in, one per fault. */
    private static final Path CONTESTS = Path.of("src", "test", "resources", "fault-tolerance-it.yaml");

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static int kafkaPort;
    private static EmbeddedRedis redis;
    private static EmbeddedMongo mongo;
    private static RedisLink redisConnection;
    private static MongoClient mongoClient;

    private final List<RoleProcess> roles = new ArrayList<>();
    private int httpPort;
    private int grpcPort;

    @BeforeAll
    static void startInfrastructure() {
        kafkaPort = LocalPorts.pickFree(HOST);
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, kafkaPort);
        redis = EmbeddedRedis.start(dataDir.resolve("redis"), HOST, LocalPorts.pickFree(HOST));
        mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        redisConnection = RedisLink.open(redis.uri(), Duration.ofSeconds(10));
        mongoClient = StoreClients.mongo(mongo.uri());
    }

    @AfterAll
    static void stopInfrastructure() {
        for (AutoCloseable closeable : new AutoCloseable[] {mongoClient, redisConnection, mongo,
                redis, kafka}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("could not close " + closeable + ": " + e);
                }
            }
        }
    }

    @AfterEach
    void stopRoles() {
        roles.forEach(RoleProcess::kill);
    }

    private Map<String, String> env() {
        return Map.ofEntries(Map.entry("OVATION_KAFKA", kafka.bootstrapServers()),
                Map.entry("OVATION_REDIS", redis.uri()), Map.entry("OVATION_MONGO", mongo.uri()),
                Map.entry("OVATION_HOST", HOST), Map.entry("OVATION_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("OVATION_GRPC_PORT", Integer.toString(grpcPort)), Map.entry("OVATION_ACK_TIMEOUT_MS", "2000"),
                Map.entry("OVATION_CONTESTS", CONTESTS.toAbsolutePath().toString()),
                // this test counts through crashes: its one local client is not rate-limited, and
                // its roles take free ports for their metrics (counters, several at once; the ingest's
                // management port, 8081 by default, may be taken by another Ovation on the machine)
                Map.entry("OVATION_RATE_LIMIT_EXEMPT", "127.0.0.0/8"), Map.entry("OVATION_COUNTER_PORT", "0"),
                Map.entry("OVATION_MANAGEMENT_PORT", "0"));
    }

    private RoleProcess startCounter() {
        RoleProcess counter = RoleProcess.start("counter", env(), dataDir.resolve("logs"),
                started -> started.printed("Ovation counter is running"));
        roles.add(counter);
        return counter;
    }

    private RoleProcess startIngest() {
        if (httpPort == 0) {
            httpPort = LocalPorts.pickFree(HOST);
            grpcPort = LocalPorts.pickFree(HOST);
        }
        RoleProcess ingest = RoleProcess.start("ingest", env(), dataDir.resolve("logs"), started -> RoleProcess.answers200(ingestUrl() + "/health/ready"));
        roles.add(ingest);
        return ingest;
    }


    private String ingestUrl() {
        return "http://" + HOST + ":" + httpPort;
    }

    @Test
    void shouldCountEveryVoteOnceWhenTheCounterIsKilledRepeatedly() throws Exception {
        startIngest();
        RoleProcess counter = startCounter();
        int kills = 0;
        try (VoteDriver driver = new VoteDriver(ingestUrl(), "fault-counter-kill", 100_000, 500, 5_000, 4).start()) {
            for (int threshold : new int[] {15_000, 35_000, 55_000, 75_000}) {
                await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= threshold);
                counter.kill();
                kills++;
                counter = startCounter();
            }
            driver.awaitAllAcknowledged(Duration.ofMinutes(3));
            verifyExactlyOnce("fault-counter-kill", driver, "counter killed with SIGKILL " + kills + " times");
        }
    }

    @Test
    void shouldCountEveryVoteOnceWhileCountersComeAndGo() throws Exception {
        startIngest();
        RoleProcess first = startCounter();
        startCounter();
        try (VoteDriver driver = new VoteDriver(ingestUrl(), "fault-rebalance", 40_000, 500, 4_000, 4).start()) {
            await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= 10_000);
            first.kill();
            startCounter();
            await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= 25_000);
            startCounter();
            driver.awaitAllAcknowledged(Duration.ofMinutes(3));
            verifyExactlyOnce("fault-rebalance", driver, "two counters, one killed, two more started mid-stream");
        }
    }

    @Test
    void shouldCountEveryVoteOnceWhenRedisIsKilledAndRestarted() throws Exception {
        startIngest();
        startCounter();
        try (VoteDriver driver = new VoteDriver(ingestUrl(), "fault-redis", 40_000, 500, 4_000, 4).start()) {
            await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= 15_000);
            redis.kill();
            redis.start();
            driver.awaitAllAcknowledged(Duration.ofMinutes(3));
            verifyExactlyOnce("fault-redis", driver, "Redis killed with SIGKILL and restarted from its AOF");
        }
    }

    /**
     * Redis killed from outside (as the kernel's OOM killer does) right after the last vote was
     * counted, with no vote after it: the server brings itself back from its append-only file, which
     * may lack the last second of writes, and the idle counter counts what went back again.
     */
    @Test
    void shouldCountEveryVoteOnceWhenRedisIsKilledFromOutsideAfterTheLastVote() throws Exception {
        startIngest();
        startCounter();
        String contest = "fault-redis-oom";
        try (VoteDriver driver = new VoteDriver(ingestUrl(), contest, 10_000, 500, 5_000, 4).start()) {
            driver.awaitAllAcknowledged(Duration.ofMinutes(2));
            TallyStore tallies = new TallyStore(redisConnection, Duration.ofHours(24), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(60)).until(() -> tallies.read(contest).total() >= driver.acknowledgedCount());
            Path pidFile = dataDir.resolve("redis").resolve("redis.pid");
            long pid = Long.parseLong(Files.readString(pidFile).strip());

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> Long.parseLong(Files.readString(pidFile).strip()) != pid && redis.isRunning());
            verifyExactlyOnce(contest, driver, "Redis killed from outside after the last vote, started again by itself");
        }
    }

    @Test
    void shouldCountEveryAcknowledgedVoteOnceWhenTheIngestIsKilled() throws Exception {
        RoleProcess ingest = startIngest();
        startCounter();
        try (VoteDriver driver = new VoteDriver(ingestUrl(), "fault-ingest", 40_000, 500, 4_000, 4).start()) {
            await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= 15_000);
            ingest.kill();
            startIngest();
            driver.awaitAllAcknowledged(Duration.ofMinutes(3));
            verifyExactlyOnce("fault-ingest", driver, "ingest killed with SIGKILL and restarted; unacknowledged votes"
                    + " retried with the same ids");
        }
    }

    @Test
    void shouldRefuseVotesWhileKafkaIsDownAndCountEveryAcknowledgedOneOnce() throws Exception {
        startIngest();
        startCounter();
        try (VoteDriver driver = new VoteDriver(ingestUrl(), "fault-kafka", 40_000, 500, 4_000, 4).start()) {
            await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= 15_000);
            kafka.close();
            int acknowledgedWhenStopped = driver.acknowledgedCount();
            long refusedBefore = driver.refused();
            // Kafka stays down until the ingest has refused votes for a while
            await().atMost(Duration.ofSeconds(60)).until(() -> driver.refused() >= refusedBefore + 20);
            int acknowledgedWhileDown = driver.acknowledgedCount() - acknowledgedWhenStopped;
            kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, kafkaPort);
            driver.awaitAllAcknowledged(Duration.ofMinutes(3));
            System.out.printf("[fault-kafka] votes acknowledged after Kafka stopped (already in flight): %d%n",
                    acknowledgedWhileDown);
            verifyExactlyOnce("fault-kafka", driver, "Kafka stopped until the ingest refused " + (driver.refused()
                    - refusedBefore) + " requests or votes, then started again");
        }
    }

    private void verifyExactlyOnce(String contest, VoteDriver driver, String scenario) {
        int acknowledged = driver.acknowledgedCount();
        TallyStore tallies = new TallyStore(redisConnection, Duration.ofHours(24), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(180)).until(() -> tallies.read(contest).total() >= acknowledged
                && loggedIds(contest).size() >= acknowledged);
        ContestTally tally = tallies.read(contest);
        Set<String> logged = loggedIds(contest);
        System.out.printf("[%s] %s: sent %d, acknowledged %d, counted %d, logged %d, duplicates absorbed %d,"
                        + " votes resent %d%n", contest, scenario, driver.total(), acknowledged,
                tally.total(), logged.size(), tally.duplicates(), driver.retries());
        assertThat(acknowledged).isEqualTo(driver.acknowledged().size());
        assertThat(tally.total()).isEqualTo(acknowledged);
        assertThat(tallies(tally)).isEqualTo(driver.expectedTallies());
        assertThat(logged).hasSize(acknowledged).isEqualTo(driver.acknowledged());
        assertThat(LoggedVotes.ids(voteLog(), contest)).hasSize(acknowledged);
        assertThat(voteLog().count(contest)).isEqualTo(acknowledged);
    }

    private static VoteLog voteLog() {
        return new VoteLog(mongoClient.getDatabase("ovation"));
    }

    private static Set<String> loggedIds(String contest) {
        return new HashSet<>(LoggedVotes.ids(voteLog(), contest));
    }

    private static Map<String, Long> tallies(ContestTally tally) {
        Map<String, Long> counts = new TreeMap<>();
        for (ContestTally.BandTally band : tally.bands()) {
            counts.put(band.band(), band.votes());
            for (ContestTally.AlbumTally album : band.albums()) {
                counts.put(band.band() + "/" + album.album(), album.votes());
            }
        }
        return counts;
    }
}
