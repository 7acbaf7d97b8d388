package dev.ovation.counter;

import dev.ovation.store.TallyFields;
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
import dev.ovation.store.VotesTopic;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recount against a real Kafka broker, a real Redis and the real counter: it agrees with what
 * the counter counted, finds exactly what was changed in Redis behind the counter's back, repairs
 * it, and refuses to repair from a snapshot the counters have moved past.
 */
class RecountIT {

    private static final String HOST = "127.0.0.1";
    private static final String CONTEST = "final";
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
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> testConnection;
    private static KafkaProducer<String, byte[]> producer;

    private String topic;
    private StatefulRedisConnection<String, String> recountConnection;
    private KafkaConsumer<byte[], byte[]> recountConsumer;
    private Recount recount;
    private final List<Vote> sent = new ArrayList<>();
    private long produced;
    private int nextId;

    @BeforeAll
    static void startInfrastructure() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, LocalPorts.pickFree(HOST));
        redisServer = EmbeddedRedis.start(dataDir.resolve("redis"), HOST, LocalPorts.pickFree(HOST));
        mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        redisClient = RedisClient.create(redisServer.uri());
        testConnection = redisClient.connect();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopInfrastructure() {
        producer.close();
        testConnection.close();
        redisClient.shutdown();
        mongo.close();
        redisServer.close();
        kafka.close();
    }

    @BeforeEach
    void createTopicAndRecount() throws InterruptedException {
        redis().flushall();
        topic = "votes-" + TOPICS.incrementAndGet();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new VotesTopic(topic, 6, (short) 1).ensureExists(admin, 15_000);
        }
        recountConnection = redisClient.connect();
        recountConsumer = Recount.consumer(kafka.bootstrapServers());
        // A new topic's partitions are announced before their logs exist; producing then can leave
        // an idempotent producer out of sequence. Listing offsets answers once every log is online.
        List<TopicPartition> partitions = IntStream.range(0, 6).mapToObj(p -> new TopicPartition(topic, p)).toList();
        assertThat(recountConsumer.endOffsets(partitions, DEADLINE)).hasSize(6);
        recount = new Recount(recountConnection, recountConsumer, topic, Duration.ofSeconds(30),
                Recount.Progress.SILENT, Clock.systemUTC());
    }

    @AfterEach
    void closeRecount() {
        recountConsumer.close();
        recountConnection.close();
    }

    @Test
    void shouldFindExactlyWhatChangedInRedisAndRepairIt() throws Exception {
        // Given votes of every kind, counted by the real counter
        produceAnonymous(120);
        for (int voter = 1; voter <= 10; voter++) {
            produceVoter("+502-" + voter, 3, 4); // limit 3: the fourth is rejected
        }
        resend(5);
        produceOtherContest(10);
        produceGarbage();
        countAllThenStop();
        Map<String, String> tally = redis().hgetall(tallyKey());
        Map<String, String> seen = redis().hgetall("ovation:seen:" + CONTEST);
        Map<String, String> voters = redis().hgetall("ovation:voters:" + CONTEST);
        assertThat(tally).containsEntry("total", "150").containsEntry("duplicates", "5")
                .containsEntry(TallyFields.rejected("voter_limit"), "10");

        // When recounting
        RecountReport agreed = recount.run(CONTEST);

        // Then the record and Redis agree, line by line, over every record the counter applied
        assertThat(agreed.differs()).isFalse();
        assertThat(agreed.total()).isEqualTo(150);
        assertThat(agreed.undecodable()).isEqualTo(1);
        assertThat(agreed.recordsRead().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(produced);
        assertThat(agreed.lines()).contains(new RecountLine("total", 150, 150), new RecountLine("duplicates", 5, 5),
                new RecountLine(TallyFields.rejected("voter_limit"), 10, 10),
                new RecountLine(RecountLine.IDS_SEEN, 160, 160), new RecountLine(RecountLine.VOTERS, 10, 10));
        assertThat(agreed.lines()).hasSize(tally.size() + 2);

        // When Redis is changed behind the counter's back
        long queen = Long.parseLong(tally.get(TallyFields.band("Queen")));
        long arrival = Long.parseLong(tally.get(TallyFields.album("Abba", "Arrival")));
        redis().hincrby(tallyKey(), TallyFields.band("Queen"), 5);
        redis().hdel(tallyKey(), TallyFields.album("Abba", "Arrival"));
        RecountReport tampered = recount.run(CONTEST);

        // Then the recount finds exactly those two lines, bands in alphabetical order
        assertThat(tampered.differences()).containsExactly(
                new RecountLine(TallyFields.album("Abba", "Arrival"), arrival, 0),
                new RecountLine(TallyFields.band("Queen"), queen, queen + 5));
        assertThat(tampered.differences()).extracting(RecountLine::label, RecountLine::difference)
                .containsExactly(tuple("album Abba / Arrival", -arrival), tuple("band Queen", 5L));

        // When repairing
        recount.repair(tampered);

        // Then Redis holds exactly what it held before, seen times included, and agrees again
        assertThat(redis().hgetall(tallyKey())).isEqualTo(tally);
        assertThat(redis().hgetall("ovation:seen:" + CONTEST)).isEqualTo(seen);
        assertThat(redis().hgetall("ovation:voters:" + CONTEST)).isEqualTo(voters);
        assertThat(recount.run(CONTEST).differs()).isFalse();

        // And when counting goes on, the repaired tallies grow exactly
        produceAnonymous(30);
        resend(1);
        produceVoter("+502-1", 3, 1); // over the limit already
        produceVoter("+502-11", 3, 1);
        countAllThenStop();
        Map<String, String> after = redis().hgetall(tallyKey());
        assertThat(after).containsEntry("total", "181").containsEntry("duplicates", "6")
                .containsEntry(TallyFields.rejected("voter_limit"), "11");
        assertThat(recount.run(CONTEST).differs()).isFalse();
    }

    @Test
    void shouldReadOnlyTheRecordsTheCountersApplied() throws Exception {
        // Given votes in the topic that no counter has applied
        produceAnonymous(12);

        // When recounting
        RecountReport beforeCounting = recount.run(CONTEST);

        // Then no partition has a position, so no record is read, and there is nothing to differ
        assertThat(beforeCounting.positions()).isEmpty();
        assertThat(beforeCounting.recordsRead()).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 0L, 4, 0L, 5, 0L));
        assertThat(beforeCounting.differs()).isFalse();

        // Given those counted, and more votes queued but not counted yet
        countAllThenStop();
        long counted = produced;
        produceAnonymous(20);

        // When recounting
        RecountReport report = recount.run(CONTEST);

        // Then only the counted records are read, and they agree with Redis
        assertThat(report.recordsRead().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(counted);
        assertThat(report.positions().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(counted);
        assertThat(report.total()).isEqualTo(12);
        assertThat(report.differs()).isFalse();
    }

    @Test
    void shouldRefuseToRepairWhenTheCountersMovedOnSinceTheRecount() throws Exception {
        // Given counted votes, a tampered band, and a recount that found it
        produceAnonymous(24);
        countAllThenStop();
        redis().hincrby(tallyKey(), TallyFields.band("Queen"), 5);
        RecountReport report = recount.run(CONTEST);
        assertThat(report.differences()).extracting(RecountLine::difference).containsExactly(5L);
        long tamperedQueen = Long.parseLong(redis().hget(tallyKey(), TallyFields.band("Queen")));

        // When a counter applies one more vote before the repair
        produce(new Vote("late", CONTEST, "Muse", "Drones", "", "", ""), 0);
        countAllThenStop();

        // Then the repair refuses and writes nothing
        assertThatThrownBy(() -> recount.repair(report))
                .isInstanceOf(RecountStaleException.class)
                .hasMessageStartingWith("counters counted more votes meanwhile; stop them or run again");
        assertThat(redis().hget(tallyKey(), TallyFields.band("Queen"))).isEqualTo(Long.toString(tamperedQueen));
        assertThat(redis().hget(tallyKey(), "total")).isEqualTo("25");

        // And a fresh recount repairs it
        RecountReport fresh = recount.run(CONTEST);
        assertThat(fresh.differences()).containsExactly(
                new RecountLine(TallyFields.band("Queen"), tamperedQueen - 5, tamperedQueen));
        recount.repair(fresh);
        assertThat(recount.run(CONTEST).differs()).isFalse();
    }

    @Test
    void shouldRefuseToRepairWhenTheCountersMoveDuringTheRepair() throws Exception {
        // Given counted votes, a tampered band, a recount that found it, and one more vote queued
        produceAnonymous(24);
        countAllThenStop();
        redis().hincrby(tallyKey(), TallyFields.band("Queen"), 5);
        RecountReport report = recount.run(CONTEST);
        produce(new Vote("late", CONTEST, "Muse", "Drones", "", "", ""), 0);

        // When a counter applies it while the repair is under way (the repair reads its clock after
        // checking the positions and before writing)
        Clock countingMeanwhile = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                try {
                    countAllThenStop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return Instant.now();
            }
        };
        Recount repairing = new Recount(recountConnection, recountConsumer, topic, Duration.ofSeconds(30),
                Recount.Progress.SILENT, countingMeanwhile);

        // Then the transaction is dropped: nothing of the repair is written
        assertThatThrownBy(() -> repairing.repair(report))
                .isInstanceOf(RecountStaleException.class)
                .hasMessageStartingWith("counters counted more votes meanwhile; stop them or run again")
                .hasMessageContaining("moved during the repair");
        assertThat(redis().hget(tallyKey(), "total")).isEqualTo("25");
        assertThat(recount.run(CONTEST).differences()).extracting(RecountLine::label, RecountLine::difference)
                .containsExactly(tuple("band Queen", 5L));
    }

    private static RedisCommands<String, String> redis() {
        return testConnection.sync();
    }

    private static String tallyKey() {
        return "ovation:tally:" + CONTEST;
    }

    /** Runs a counter until it applied every record produced, then stops it. */
    private void countAllThenStop() throws InterruptedException {
        CounterConfig config = new CounterConfig(kafka.bootstrapServers(), redisServer.uri(), mongo.uri(),
                "ovation-" + topic, new VotesTopic(topic, 6, (short) 1), "counters-" + topic, 25, java.time.Duration.ofHours(24));
        try (CounterService counter = CounterService.start(config)) {
            await().atMost(DEADLINE).until(() -> appliedRecords() == produced);
        }
    }

    private long appliedRecords() {
        return redis().hvals("ovation:positions:" + topic).stream().mapToLong(Long::parseLong).sum();
    }

    private void produceAnonymous(int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] album = ALBUMS[nextId % ALBUMS.length];
            Vote vote = new Vote("v" + nextId++, CONTEST, album[0], album[1], "2024", "", "");
            acks.add(send(vote, 0));
        }
        awaitAcks(acks);
    }

    private void produceVoter(String voter, int limit, int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] album = ALBUMS[nextId % ALBUMS.length];
            acks.add(send(new Vote("v" + nextId++, CONTEST, album[0], album[1], "2024", "", voter), limit));
        }
        awaitAcks(acks);
    }

    /** Sends the first {@code count} votes again, as a client retrying would: same id, same key. */
    private void resend(int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Vote vote : List.copyOf(sent.subList(0, count))) {
            acks.add(send(vote, 0));
        }
        awaitAcks(acks);
    }

    private void produceOtherContest(int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(send(new Vote("other" + i, "semi", "Queen", "Jazz", "", "", ""), 0));
        }
        awaitAcks(acks);
    }

    private void produceGarbage() throws Exception {
        produced++;
        producer.send(new ProducerRecord<>(topic, "garbage", "not a vote".getBytes(StandardCharsets.UTF_8))).get();
    }

    private void produce(Vote vote, int limit) throws Exception {
        awaitAcks(List.of(send(vote, limit)));
    }

    private Future<RecordMetadata> send(Vote vote, int limit) {
        sent.add(vote);
        produced++;
        byte[] value = new VoteEnvelope(vote, "http", System.currentTimeMillis(), limit).encode();
        return producer.send(new ProducerRecord<>(topic, vote.partitionKey(), value));
    }

    private static void awaitAcks(List<Future<RecordMetadata>> acks) throws Exception {
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }
}
