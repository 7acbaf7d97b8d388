package dev.ovation.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreSettings;
import dev.ovation.store.TallyFields;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VotesTopic;
import dev.ovation.testkit.EmbeddedRedisCluster;
import dev.ovation.web.Metrics;
import io.lettuce.core.cluster.SlotHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recount against a three-master Redis Cluster that the real counter counted into: every
 * script of the recount touches one shard's hash slot, so snapshot and repair work shard by shard
 * on whichever master holds it.
 */
class RecountClusterIT {

    private static final String HOST = "127.0.0.1";
    private static final String TOPIC = "votes";
    private static final String CONTEST = "final";
    private static final int PARTITIONS = 18;
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String[] BANDS = {"Queen", "Abba", "Muse"};

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static EmbeddedRedisCluster cluster;
    private static EmbeddedMongo mongo;
    private static RedisLink redis;

    @BeforeAll
    static void startInfrastructure() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, LocalPorts.pickFree(HOST));
        cluster = EmbeddedRedisCluster.start(dataDir.resolve("redis"), HOST,
                EmbeddedRedisCluster.pickFreeFirstPort(HOST, 3), 3);
        mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        redis = RedisLink.open(seeds(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopInfrastructure() {
        redis.close();
        mongo.close();
        cluster.close();
        kafka.close();
    }

    @Test
    void shouldFindAndRepairTamperedShardsOnDifferentMasters() throws Exception {
        // Given 180 votes on 18 partitions, and a voter over the limit, counted into the cluster
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new VotesTopic(TOPIC, PARTITIONS, (short) 1).ensureExists(admin, 15_000);
        }
        try (KafkaConsumer<String, byte[]> consumer = Recount.consumer(kafka.bootstrapServers());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer())) {
            // the logs of a new topic's partitions exist once their offsets can be listed
            assertThat(consumer.endOffsets(IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(TOPIC, p)).toList(), DEADLINE)).hasSize(PARTITIONS);
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 180; i++) {
                Vote vote = new Vote("v" + i, CONTEST, BANDS[i % BANDS.length], "Best of", "", "", "");
                acks.add(producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, vote.partitionKey(),
                        new VoteEnvelope(vote, "http", 1L, 0).encode())));
            }
            for (int i = 0; i < 3; i++) {
                Vote vote = new Vote("w" + i, CONTEST, "Muse", "Drones", "", "", "+502-1");
                acks.add(producer.send(new ProducerRecord<>(TOPIC, 5, vote.partitionKey(),
                        new VoteEnvelope(vote, "http", 1L, 2).encode())));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            countAllThenStop(183);
            Map<Integer, Map<String, String>> tallies = tallies();
            assertThat(new TallyStore(redis, RETENTION, DEADLINE).fields(CONTEST)).containsEntry("total", 182L)
                    .containsEntry(TallyFields.rejected("voter_limit"), 1L);
            Recount recount = new Recount(redis, consumer, TOPIC, RETENTION, Duration.ofSeconds(30),
                    Recount.Progress.SILENT);
            assertThat(recount.run(CONTEST).differs()).isFalse();

            // When Queen is raised in shard 0 and lowered in shard 3, which live on different masters
            assertThat(masterOf(0)).isNotEqualTo(masterOf(3));
            String queen = TallyFields.band("Queen");
            redis.sync().hincrby(TallyLayout.tallyKey(0, CONTEST), queen, 4);
            redis.sync().hincrby(TallyLayout.tallyKey(3, CONTEST), queen, -1);
            RecountReport report = recount.run(CONTEST);

            // Then the recount finds both shards, and the repair restores exactly what the counter wrote
            assertThat(report.differences()).containsExactly(new RecountLine(queen, 60, 63,
                    new TreeMap<>(Map.of(0, 4L, 3, -1L)), new TreeMap<>()));
            assertThat(recount.repair(report)).containsExactly(0, 3);
            assertThat(tallies()).isEqualTo(tallies);
            assertThat(redis.sync().pttl(TallyLayout.seenKey(0, CONTEST))).isBetween(1L, RETENTION.toMillis());
            assertThat(recount.run(CONTEST).differs()).isFalse();
        }
    }

    private static String seeds() {
        return String.join(",", cluster.seedUris());
    }

    private static int masterOf(int shard) {
        int slot = SlotHash.getSlot(TallyLayout.tallyKey(shard, CONTEST));
        return cluster.nodes().stream().filter(m -> m.slots().contains(slot)).findFirst().orElseThrow().port();
    }

    private static Map<Integer, Map<String, String>> tallies() {
        Map<Integer, Map<String, String>> tallies = new TreeMap<>();
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            tallies.put(shard, redis.sync().hgetall(TallyLayout.tallyKey(shard, CONTEST)));
        }
        return tallies;
    }

    private static void countAllThenStop(long records) throws InterruptedException {
        CounterConfig config = new CounterConfig(new StoreSettings(kafka.bootstrapServers(),
                new VotesTopic(TOPIC, PARTITIONS, (short) 1), seeds(), mongo.uri(), "ovation"), "counters", 25,
                RETENTION, "127.0.0.1", 0);
        TallyStore store = new TallyStore(redis, RETENTION, DEADLINE);
        try (Metrics metrics = new Metrics(); CounterService counter = CounterService.start(config, metrics)) {
            await().atMost(DEADLINE).until(() -> store.positions(TOPIC, IntStream.range(0, PARTITIONS).boxed().toList())
                    .values().stream().mapToLong(Long::longValue).sum() == records);
        }
    }
}
