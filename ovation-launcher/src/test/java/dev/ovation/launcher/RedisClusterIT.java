package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.LocalPorts;
import dev.ovation.store.ContestTally;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.testkit.EmbeddedRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same counter, unchanged, counts into a three-master Redis Cluster: every key a counting
 * script touches shares its partition's hash slot, the shards spread over the masters, and the
 * tallies read back as the sum of the shards. The counter runs as a process and is killed with
 * SIGKILL mid-stream; every acknowledged vote must still count exactly once.
 */
class RedisClusterIT {

    private static final String HOST = "127.0.0.1";
    private static final String CONTEST = "default";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static EmbeddedRedisCluster cluster;
    private static EmbeddedMongo mongo;
    private static RedisLink redis;
    private static MongoClient mongoClient;

    private final List<RoleProcess> roles = new ArrayList<>();
    private int httpPort;
    private int grpcPort;

    @BeforeAll
    static void startInfrastructure() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, LocalPorts.pickFree(HOST));
        cluster = EmbeddedRedisCluster.start(dataDir.resolve("redis"), HOST,
                EmbeddedRedisCluster.pickFreeFirstPort(HOST, 3), 3);
        mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        redis = RedisLink.open(String.join(",", cluster.seedUris()), Duration.ofSeconds(10));
        mongoClient = StoreClients.mongo(mongo.uri());
    }

    @AfterAll
    static void stopInfrastructure() {
        for (AutoCloseable closeable : new AutoCloseable[] {mongoClient, redis, mongo, cluster, kafka}) {
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
                Map.entry("OVATION_REDIS", String.join(",", cluster.seedUris())),
                Map.entry("OVATION_MONGO", mongo.uri()), Map.entry("OVATION_HOST", HOST),
                Map.entry("OVATION_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("OVATION_GRPC_PORT", Integer.toString(grpcPort)),
                Map.entry("OVATION_TOPIC_PARTITIONS", "12"), Map.entry("OVATION_ACK_TIMEOUT_MS", "2000"),
                // this test counts through crashes: its one local client is not rate-limited, and
                // its counters and ingest take free ports for their metrics
                Map.entry("OVATION_RATE_LIMIT_EXEMPT", "127.0.0.0/8"), Map.entry("OVATION_COUNTER_PORT", "0"),
                Map.entry("OVATION_MANAGEMENT_PORT", "0"));
    }

    private RoleProcess startCounter() {
        RoleProcess counter = RoleProcess.start("counter", env(), dataDir.resolve("logs"),
                started -> started.printed("Ovation counter is running"));
        roles.add(counter);
        return counter;
    }

    private void startIngest() {
        httpPort = LocalPorts.pickFree(HOST);
        grpcPort = LocalPorts.pickFree(HOST);
        roles.add(RoleProcess.start("ingest", env(), dataDir.resolve("logs"), started -> RoleProcess.answers200(ingestUrl() + "/health/ready")));
    }


    private String ingestUrl() {
        return "http://" + HOST + ":" + httpPort;
    }

    @Test
    void shouldCountEveryVoteOnceInARedisClusterThroughCounterKills() throws Exception {
        assertThat(redis.isCluster()).isTrue();
        startIngest();
        RoleProcess counter = startCounter();
        try (VoteDriver driver = new VoteDriver(ingestUrl(), CONTEST, 40_000, 500, 4_000, 4).start()) {
            for (int threshold : new int[] {10_000, 25_000}) {
                await().atMost(Duration.ofSeconds(120)).until(() -> driver.acknowledgedCount() >= threshold);
                counter.kill();
                counter = startCounter();
            }
            driver.awaitAllAcknowledged(Duration.ofMinutes(3));

            int acknowledged = driver.acknowledgedCount();
            TallyStore tallies = new TallyStore(redis, Duration.ofHours(24), Duration.ofSeconds(10));
            VoteLog log = new VoteLog(mongoClient.getDatabase("ovation"));
            await().atMost(Duration.ofSeconds(180)).until(() -> tallies.read(CONTEST).total() >= acknowledged
                    && log.count(CONTEST) >= acknowledged);

            ContestTally tally = tallies.read(CONTEST);
            assertThat(tally.total()).isEqualTo(acknowledged);
            assertThat(tallies(tally)).isEqualTo(driver.expectedTallies());
            List<String> logged = LoggedVotes.ids(log, CONTEST);
            assertThat(logged).hasSize(acknowledged);
            assertThat(new HashSet<>(logged)).isEqualTo(driver.acknowledged());
        }
        // the work was spread: the 12 partitions' shards live on every master
        for (EmbeddedRedisCluster.Master master : cluster.nodes()) {
            long shardsHere = IntStream.range(0, 12)
                    .filter(p -> master.slots().contains(slotOf(TallyLayout.positionKey("votes", p)))).count();
            assertThat(shardsHere).as("partitions counted on %s", master).isPositive();
        }
    }

    private static int slotOf(String key) {
        return SlotHash.getSlot(key);
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
