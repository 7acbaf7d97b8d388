package dev.ovation.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreSettings;
import dev.ovation.store.TallyFields;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VotesTopic;
import dev.ovation.web.Metrics;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recount against a real Kafka broker, a real Redis and the real counter, on a topic of 18
 * partitions: partitions 0 and 16 share shard 0, 1 and 17 share shard 1, the others have a shard
 * each. It agrees with what the counter counted in every shard, finds exactly what was changed in
 * a shard behind the counter's back, repairs those shards exactly, refuses to repair a shard the
 * counters moved on in since the recount, and tells expired seen ids from wrong ones.
 */
class RecountIT {

    private static final String HOST = "127.0.0.1";
    private static final String CONTEST = "final";
    private static final int PARTITIONS = 18;
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final AtomicInteger TOPICS = new AtomicInteger();
    /** The band and album of anonymous vote i are those at i modulo the length: Queen leads. */
    private static final String[][] ALBUMS = {
        {"Queen", "Jazz"}, {"Queen", "Innuendo"}, {"Abba", "Arrival"}, {"Muse", "Drones"}, {"Queen", "Jazz"}};

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redisServer;
    private static EmbeddedMongo mongo;
    private static RedisLink testLink;
    private static KafkaProducer<String, byte[]> producer;

    private String topic;
    private RedisLink recountLink;
    private KafkaConsumer<String, byte[]> recountConsumer;
    private Recount recount;
    private final List<Sent> sent = new ArrayList<>();
    private long produced;
    private int nextId;

    /** A vote as sent, with the partition it went to: a resend goes there too. */
    private record Sent(Vote vote, int limit, int partition) {
    }

    @BeforeAll
    static void startInfrastructure() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, LocalPorts.pickFree(HOST));
        redisServer = EmbeddedRedis.start(dataDir.resolve("redis"), HOST, LocalPorts.pickFree(HOST));
        mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        testLink = RedisLink.open(redisServer.uri(), Duration.ofSeconds(10));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopInfrastructure() {
        producer.close();
        testLink.close();
        mongo.close();
        redisServer.close();
        kafka.close();
    }

    private void createTopicAndRecount(Duration retention) throws InterruptedException {
        redis().flushall();
        topic = "votes-" + TOPICS.incrementAndGet();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new VotesTopic(topic, PARTITIONS, (short) 1).ensureExists(admin, 15_000);
        }
        recountLink = RedisLink.open(redisServer.uri(), Duration.ofSeconds(10));
        recountConsumer = Recount.consumer(kafka.bootstrapServers());
        // A new topic's partitions are announced before their logs exist; producing then can leave
        // an idempotent producer out of sequence. Listing offsets answers once every log is online.
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        assertThat(recountConsumer.endOffsets(partitions, DEADLINE)).hasSize(PARTITIONS);
        recount = new Recount(recountLink, recountConsumer, topic, retention, Duration.ofSeconds(30),
                Recount.Progress.SILENT);
    }

    @AfterEach
    void closeRecount() {
        if (recountConsumer != null) {
            recountConsumer.close();
        }
        if (recountLink != null) {
            recountLink.close();
        }
    }

    @Test
    void shouldAgreeExactlyWithTheCounterInEveryShard() throws Exception {
        // Given votes of every kind on every partition, counted by the real counter
        createTopicAndRecount(RETENTION);
        produceEveryKind();
        countAllThenStop(RETENTION);
        Map<String, Long> counted = tallyStore().fields(CONTEST);
        assertThat(counted).containsEntry("total", 210L).containsEntry("duplicates", 5L)
                .containsEntry(TallyFields.rejected("voter_limit"), 10L);

        // When recounting
        RecountReport agreed = recount.run(CONTEST);

        // Then the record and Redis agree in every shard, over every record the counter applied
        assertThat(agreed.differs()).isFalse();
        assertThat(agreed.expirations()).isEmpty();
        assertThat(agreed.total()).isEqualTo(210);
        assertThat(agreed.undecodable()).isEqualTo(1);
        assertThat(agreed.recordsRead().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(produced);
        assertThat(agreed.positions()).isEqualTo(agreed.recordsRead()).hasSize(PARTITIONS);
        assertThat(agreed.lines()).contains(RecountLine.agreeing("total", 210), RecountLine.agreeing("duplicates", 5),
                RecountLine.agreeing(TallyFields.rejected("voter_limit"), 10),
                RecountLine.agreeing(RecountLine.IDS_SEEN, 220), RecountLine.agreeing(RecountLine.VOTERS, 10));
        // one line per tally field, each the sum of the shards as the results read it
        assertThat(agreed.lines()).hasSize(counted.size() + 2);
        counted.forEach((field, value) -> assertThat(agreed.lines()).contains(RecountLine.agreeing(field, value)));
        // the partitions sharing shard 1 were both read: 10 anonymous votes each, a resend and a vote
        // of another contest in partition 1, and their 20 votes are that shard's
        assertThat(agreed.recordsRead()).containsEntry(1, 12L).containsEntry(17, 10L);
        assertThat(tallyOf(1)).containsEntry("total", "20");
    }

    @Test
    void shouldFindTamperedShardsAndRepairEveryShardExactly() throws Exception {
        // Given votes of every kind counted by the real counter
        createTopicAndRecount(RETENTION);
        produceEveryKind();
        countAllThenStop(RETENTION);
        Map<Integer, Map<String, String>> tallies = allShards(TallyLayout::tallyKey);
        Map<Integer, Map<String, String>> seen = allShards(TallyLayout::seenKey);
        Map<Integer, Map<String, String>> voters = allShards(TallyLayout::votersKey);
        String queen = TallyFields.band("Queen");
        String arrival = TallyFields.album("Abba", "Arrival");
        String muse = TallyFields.band("Muse");
        long queenIn1 = count(tallies.get(1), queen);
        long arrivalIn3 = count(tallies.get(3), arrival);
        long queenTotal = tallyStore().fields(CONTEST).get(queen);
        long arrivalTotal = tallyStore().fields(CONTEST).get(arrival);
        long museTotal = tallyStore().fields(CONTEST).get(muse);
        assertThat(queenIn1).isPositive();
        assertThat(arrivalIn3).isPositive();

        // When Redis is changed behind the counter's back: Queen raised in shard 1 (partitions 1 and
        // 17), an album deleted in shard 3, Muse moved from shard 5 to shard 4, a seen id dropped in shard 9
        redis().hincrby(TallyLayout.tallyKey(1, CONTEST), queen, 5);
        redis().hdel(TallyLayout.tallyKey(3, CONTEST), arrival);
        redis().hincrby(TallyLayout.tallyKey(4, CONTEST), muse, 2);
        redis().hincrby(TallyLayout.tallyKey(5, CONTEST), muse, -2);
        redis().hdel(TallyLayout.seenKey(9, CONTEST), seen.get(9).keySet().iterator().next());
        RecountReport tampered = recount.run(CONTEST);

        // Then the recount finds exactly those lines, in those shards, bands in alphabetical order
        assertThat(tampered.differences()).containsExactly(
                new RecountLine(arrival, arrivalTotal, arrivalTotal - arrivalIn3, shards(3, -arrivalIn3), shards()),
                new RecountLine(muse, museTotal, museTotal, shards(4, 2, 5, -2), shards()),
                new RecountLine(queen, queenTotal, queenTotal + 5, shards(1, 5), shards()),
                new RecountLine(RecountLine.IDS_SEEN, 220, 219, shards(9, -1), shards()));

        // When repairing
        SortedSet<Integer> repaired = recount.repair(tampered);

        // Then exactly the shards that differed were rewritten, and every shard holds exactly what
        // the counter wrote, with the counter's expiry: none on tallies, the retention on the others
        assertThat(repaired).containsExactly(1, 3, 4, 5, 9);
        assertThat(allShards(TallyLayout::tallyKey)).isEqualTo(tallies);
        assertThat(allShards(TallyLayout::seenKey)).isEqualTo(seen);
        assertThat(allShards(TallyLayout::votersKey)).isEqualTo(voters);
        for (int shard : List.of(1, 3, 4, 5, 9)) {
            assertThat(redis().pttl(TallyLayout.tallyKey(shard, CONTEST))).isEqualTo(-1L);
            assertThat(redis().pttl(TallyLayout.seenKey(shard, CONTEST))).isBetween(1L, RETENTION.toMillis());
        }
        assertThat(redis().pttl(TallyLayout.votersKey(2, CONTEST))).isBetween(1L, RETENTION.toMillis());
        assertThat(redis().keys(TallyLayout.repairKey("*"))).isEmpty();
        assertThat(recount.run(CONTEST).differs()).isFalse();

        // And when counting goes on, the repaired tallies grow exactly
        produceAnonymous(30);
        resend(1);
        produceVoter(1, 3, 1); // over the limit already
        produceVoter(11, 3, 1);
        countAllThenStop(RETENTION);
        assertThat(tallyStore().fields(CONTEST)).containsEntry("total", 241L).containsEntry("duplicates", 6L)
                .containsEntry(TallyFields.rejected("voter_limit"), 11L);
        assertThat(recount.run(CONTEST).differs()).isFalse();
    }

    @Test
    void shouldReadOnlyTheRecordsTheCountersApplied() throws Exception {
        // Given votes in the topic that no counter has applied
        createTopicAndRecount(RETENTION);
        produceAnonymous(36);

        // When recounting
        RecountReport beforeCounting = recount.run(CONTEST);

        // Then no partition has a position, so no record is read, and there is nothing to differ
        assertThat(beforeCounting.positions()).isEmpty();
        assertThat(beforeCounting.recordsRead()).containsOnlyKeys(IntStream.range(0, PARTITIONS).boxed().toList());
        assertThat(beforeCounting.recordsRead().values()).containsOnly(0L);
        assertThat(beforeCounting.differs()).isFalse();

        // Given those counted, and more votes queued but not counted yet
        countAllThenStop(RETENTION);
        long counted = produced;
        produceAnonymous(20);

        // When recounting
        RecountReport report = recount.run(CONTEST);

        // Then only the counted records are read, and they agree with Redis
        assertThat(report.recordsRead().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(counted);
        assertThat(report.positions().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(counted);
        assertThat(report.total()).isEqualTo(36);
        assertThat(report.differs()).isFalse();
    }

    @Test
    void shouldRefuseToRepairAShardWhoseCounterMovedOnSinceTheRecount() throws Exception {
        // Given counted votes, a tampered band in shard 1 and a tampered total in shard 2, and a
        // recount that found both
        createTopicAndRecount(RETENTION);
        produceAnonymous(72);
        countAllThenStop(RETENTION);
        String queen = TallyFields.band("Queen");
        redis().hincrby(TallyLayout.tallyKey(1, CONTEST), queen, 5);
        redis().hincrby(TallyLayout.tallyKey(2, CONTEST), "total", 1);
        RecountReport report = recount.run(CONTEST);
        assertThat(report.differences()).extracting(RecountLine::label, RecountLine::shardDifferences)
                .containsExactly(tuple("total", shards(2, 1)),
                        tuple("band Queen", shards(1, 5)));
        String tamperedQueen = redis().hget(TallyLayout.tallyKey(1, CONTEST), queen);
        String shard1Total = redis().hget(TallyLayout.tallyKey(1, CONTEST), "total");

        // When a counter applies one more vote in partition 17, which shares shard 1 with partition
        // 1, before the repair
        send(new Vote("late", CONTEST, "Muse", "Drones", "", "", ""), 0, 17).get();
        countAllThenStop(RETENTION);

        // Then the repair refuses shard 1 and writes nothing there, but repairs shard 2
        assertThatThrownBy(() -> recount.repair(report))
                .isInstanceOf(RecountStaleException.class)
                .hasMessageStartingWith("counters counted more votes meanwhile; stop them or run again (shard 1: ")
                .hasMessageContaining(TallyLayout.positionKey(topic, 17))
                .hasMessageEndingWith("; shard 2 was repaired)");
        assertThat(redis().hget(TallyLayout.tallyKey(1, CONTEST), queen)).isEqualTo(tamperedQueen);
        assertThat(redis().hget(TallyLayout.tallyKey(1, CONTEST), "total"))
                .isEqualTo(Long.toString(Long.parseLong(shard1Total) + 1));
        assertThat(redis().keys(TallyLayout.repairKey("*"))).isEmpty();

        // And a fresh recount finds shard 1 only, and repairs it
        RecountReport fresh = recount.run(CONTEST);
        assertThat(fresh.differences()).extracting(RecountLine::label, RecountLine::shardDifferences)
                .containsExactly(tuple("band Queen", shards(1, 5)));
        assertThat(recount.repair(fresh)).containsExactly(1);
        assertThat(recount.run(CONTEST).differs()).isFalse();
        assertThat(tallyStore().fields(CONTEST)).containsEntry("total", 73L);
    }

    @Test
    void shouldNoteSeenIdsAndVotersThatExpiredInsteadOfCallingThemWrong() throws Exception {
        // Given votes counted with a retention of one second, on partitions 2 and 3 only, and their
        // seen ids and voters expired since
        Duration retention = Duration.ofSeconds(1);
        createTopicAndRecount(retention);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            acks.add(send(new Vote("e" + i, CONTEST, "Queen", "Jazz", "", "", "+502-" + (i % 2)), 5, 2 + i % 2));
        }
        awaitAcks(acks);
        countAllThenStop(retention);
        await().atMost(DEADLINE).until(() -> redis().exists(TallyLayout.seenKey(2, CONTEST),
                TallyLayout.seenKey(3, CONTEST), TallyLayout.votersKey(2, CONTEST), TallyLayout.votersKey(3, CONTEST)) == 0);

        // When recounting
        RecountReport report = recount.run(CONTEST);

        // Then the tallies agree, and the expired hashes are noted per shard, not called a difference
        assertThat(report.differs()).isFalse();
        assertThat(report.expirations()).containsExactly(
                new RecountLine(RecountLine.IDS_SEEN, 4, 0, shards(), shards(2, 2, 3, 2)),
                new RecountLine(RecountLine.VOTERS, 2, 0, shards(), shards(2, 1, 3, 1)));
        assertThat(report.lines()).contains(RecountLine.agreeing("total", 4));
    }

    private static RedisClusterCommands<String, String> redis() {
        return testLink.sync();
    }

    private TallyStore tallyStore() {
        return new TallyStore(testLink, RETENTION, Duration.ofSeconds(10));
    }

    private static Map<String, String> tallyOf(int shard) {
        return redis().hgetall(TallyLayout.tallyKey(shard, CONTEST));
    }

    private static Map<Integer, Map<String, String>> allShards(BiFunction<Integer, String, String> key) {
        Map<Integer, Map<String, String>> shards = new TreeMap<>();
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            shards.put(shard, redis().hgetall(key.apply(shard, CONTEST)));
        }
        return shards;
    }

    private static long count(Map<String, String> tally, String field) {
        return Long.parseLong(tally.getOrDefault(field, "0"));
    }

    /** Shard, value, shard, value... */
    private static TreeMap<Integer, Long> shards(long... shardsAndValues) {
        TreeMap<Integer, Long> map = new TreeMap<>();
        for (int i = 0; i < shardsAndValues.length; i += 2) {
            map.put((int) shardsAndValues[i], shardsAndValues[i + 1]);
        }
        return map;
    }

    /** 180 anonymous votes, 10 voters with 4 votes each over a limit of 3, 5 resent, 10 of another contest, 1 not a vote. */
    private void produceEveryKind() throws Exception {
        produceAnonymous(180);
        for (int voter = 1; voter <= 10; voter++) {
            produceVoter(voter, 3, 4); // limit 3: the fourth is rejected
        }
        resend(5);
        produceOtherContest(10);
        produceGarbage();
    }

    /** Runs a counter until it applied every record produced, then stops it. */
    private void countAllThenStop(Duration retention) throws InterruptedException {
        CounterConfig config = new CounterConfig(new StoreSettings(kafka.bootstrapServers(),
                new VotesTopic(topic, PARTITIONS, (short) 1), redisServer.uri(), mongo.uri(), "ovation-" + topic),
                "counters-" + topic, 25, retention, "127.0.0.1", 0);
        try (Metrics metrics = new Metrics(); CounterService counter = CounterService.start(config, metrics)) {
            await().atMost(DEADLINE).until(() -> appliedRecords() == produced);
        }
    }

    private long appliedRecords() {
        return tallyStore().positions(topic, IntStream.range(0, PARTITIONS).boxed().toList()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** Anonymous vote i goes to partition i modulo the partitions: every shard gets some. */
    private void produceAnonymous(int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] album = ALBUMS[nextId % ALBUMS.length];
            int partition = nextId % PARTITIONS;
            acks.add(send(new Vote("v" + nextId++, CONTEST, album[0], album[1], "2024", "", ""), 0, partition));
        }
        awaitAcks(acks);
    }

    /** Every vote of voter n goes to partition 2n modulo the partitions. */
    private void produceVoter(int voter, int limit, int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] album = ALBUMS[nextId % ALBUMS.length];
            acks.add(send(new Vote("v" + nextId++, CONTEST, album[0], album[1], "2024", "", "+502-" + voter), limit,
                    2 * voter % PARTITIONS));
        }
        awaitAcks(acks);
    }

    /** Sends the first {@code count} votes again, as a client retrying would: same id, same partition. */
    private void resend(int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Sent again : List.copyOf(sent.subList(0, count))) {
            acks.add(send(again.vote(), again.limit(), again.partition()));
        }
        awaitAcks(acks);
    }

    private void produceOtherContest(int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(send(new Vote("other" + i, "semi", "Queen", "Jazz", "", "", ""), 0, i % PARTITIONS));
        }
        awaitAcks(acks);
    }

    private void produceGarbage() throws Exception {
        produced++;
        producer.send(new ProducerRecord<>(topic, 0, "garbage", "not a vote".getBytes(StandardCharsets.UTF_8))).get();
    }

    private Future<RecordMetadata> send(Vote vote, int limit, int partition) {
        sent.add(new Sent(vote, limit, partition));
        produced++;
        byte[] value = new VoteEnvelope(vote, "http", System.currentTimeMillis(), limit).encode();
        return producer.send(new ProducerRecord<>(topic, partition, vote.partitionKey(), value));
    }

    private static void awaitAcks(List<Future<RecordMetadata>> acks) throws Exception {
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }
}
