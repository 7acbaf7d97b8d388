package dev.ovation.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import dev.ovation.counter.InMemoryTopic.Message;
import dev.ovation.counter.InMemoryTopic.TopicConsumer;
import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.DeadLetter;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.TallyFields;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import io.lettuce.core.RedisException;
import io.lettuce.core.RestoreArgs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VoteCounter} against a real Redis and a real MongoDB-wire server: positions, rewinds and
 * fencing. The votes topic is in memory, read through Kafka's {@code MockConsumer}
 * ({@link InMemoryTopic}), so each case decides what every poll returns; poison goes to the
 * dead-letter topic of a real Kafka broker, since {@link DeadLetterTopic.Writer} takes no other
 * producer. Each test has its own topic and contest, hence its own keys, positions and log.
 */
class VoteCounterIT {

    private static final String HOST = "127.0.0.1";
    private static final String DATABASE = "ovation-counter-it";
    private static final int PARTITION = 0;
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration RETENTION = Duration.ofHours(24);
    /** Short, so that a batch sent to a Redis that is down fails, and is retried, within a second. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
    private static final long RECEIVED_AT = 1_700_000_000_000L;
    private static final byte[] GARBAGE = "not a vote".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger CASES = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redisServer;
    private static EmbeddedMongo mongoServer;
    private static RedisLink redis;
    private static MongoClient mongo;

    private final List<RunningCounter> counters = new ArrayList<>();
    private InMemoryTopic topic;
    private String contest;
    private TallyStore tallies;
    private VoteLog log;

    /** What the stores hold of this test's topic and contest. */
    private record Stored(Map<String, Long> tallies, List<Logged> logged, long logCount,
                          Map<Integer, Long> talliesAt, Map<Integer, Long> logAt) {
    }

    /** One entry of the vote log. */
    private record Logged(String id, long offset, String status) {
    }

    /** A counter on its own thread, with the consumer it reads through. */
    private record RunningCounter(VoteCounter counter, Thread thread, TopicConsumer consumer,
                                  AtomicReference<Throwable> died) {

        /** Stops it, and checks that it ran until asked to stop. */
        void stop() throws InterruptedException {
            counter.stop();
            thread.join(DEADLINE.toMillis());
            assertThat(thread.isAlive()).as("counter thread still running").isFalse();
            assertThat(died.get()).as("counter thread died").isNull();
        }
    }

    @BeforeAll
    static void startStores() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), HOST, LocalPorts.pickFree(HOST));
        redisServer = EmbeddedRedis.start(dataDir.resolve("redis"), HOST, LocalPorts.pickFree(HOST));
        mongoServer = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        redis = RedisLink.open(redisServer.uri(), REDIS_TIMEOUT);
        mongo = StoreClients.mongo(mongoServer.uri());
    }

    @AfterAll
    static void stopStores() {
        mongo.close();
        redis.close();
        mongoServer.close();
        redisServer.close();
        kafka.close();
    }

    @BeforeEach
    void newTopicAndContest() {
        int n = CASES.incrementAndGet();
        topic = new InMemoryTopic("votes-" + n);
        contest = "contest-" + n;
        tallies = new TallyStore(redis, RETENTION, REDIS_TIMEOUT);
        log = new VoteLog(mongo.getDatabase(DATABASE));
    }

    @AfterEach
    void stopCounters() throws InterruptedException {
        for (RunningCounter counter : counters) {
            if (counter.thread().isAlive()) {
                counter.stop();
            }
        }
    }

    @Test
    void shouldCountAVoteIdOnceWhenABatchHoldsItTwice() throws Exception {
        // Given one batch in which vote a comes twice, as a client retrying would send it
        topic.append(PARTITION, List.of(vote("a", "Queen", "Jazz"), vote("b", "Abba", "Arrival"),
                vote("a", "Queen", "Jazz"), vote("c", "Queen", "Innuendo")));

        // When a counter gets the partition
        RunningCounter counter = startCounter();

        // Then a counts once, its second record only as a duplicate; the log holds each id once; both
        // stores are past the batch
        Stored expected = new Stored(Map.of(TallyFields.TOTAL, 3L, TallyFields.DUPLICATES, 1L,
                TallyFields.band("Queen"), 2L, TallyFields.album("Queen", "Jazz"), 1L,
                TallyFields.album("Queen", "Innuendo"), 1L,
                TallyFields.band("Abba"), 1L, TallyFields.album("Abba", "Arrival"), 1L),
                List.of(counted("a", 0), counted("b", 1), counted("c", 3)), 3, Map.of(PARTITION, 4L),
                Map.of(PARTITION, 4L));
        awaitStored(expected);
        counter.stop();
        assertThat(stored()).isEqualTo(expected);
        assertThat(counter.consumer().delivered()).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldResumeAtTheStoredPositionsAndCountOnlyTheNewVotes() throws Exception {
        // Given a counter that counted votes 0 to 3, then stopped
        topic.append(PARTITION, votes(0, 4));
        RunningCounter first = startCounter();
        awaitStored(countedOnce(4, 4));
        first.stop();
        topic.append(PARTITION, votes(4, 3));

        // When another counter, over the same stores, gets the partition with its consumer at offset 0
        RunningCounter second = startCounter();

        // Then it reads from the stored position only, and counts the three new votes once
        awaitStored(countedOnce(7, 7));
        second.stop();
        assertThat(stored()).isEqualTo(countedOnce(7, 7));
        assertThat(second.consumer().delivered()).containsExactly(4L, 5L, 6L);
    }

    @Test
    void shouldWriteNothingStaleWhenAnotherCounterMovedThePositionsOn() throws Exception {
        // Given counter A counted votes 0 to 2, then its fetches stalled while it still held the partition
        RunningCounter a = startCounter();
        topic.append(PARTITION, votes(0, 3));
        awaitStored(countedOnce(3, 3));
        a.consumer().pause(List.of(topicPartition()));
        // and counter B, given the partition meanwhile, counted votes 3 to 5 and stopped
        RunningCounter b = startCounter();
        topic.append(PARTITION, votes(3, 3));
        awaitStored(countedOnce(6, 6));
        b.stop();

        // When A reads on, votes 3 to 7 in one batch, of which 3 to 5 are counted already
        topic.append(PARTITION, votes(6, 2));
        a.consumer().resume(List.of(topicPartition()));

        // Then A's stale batch wrote nothing (the stores were not where A left them), and A counted again
        // from the stored position 6: every vote counted once, logged once
        awaitStored(countedOnce(8, 8));
        a.stop();
        assertThat(stored()).isEqualTo(countedOnce(8, 8));
        assertThat(b.consumer().delivered()).containsExactly(3L, 4L, 5L);
        assertThat(a.consumer().delivered()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 6L, 7L);
    }

    @Test
    void shouldCountAgainWhatRedisLostWhileTheCounterWasIdle() throws Exception {
        // Given a counter that counted votes 0 to 2, when a replica of Redis was in sync, then 3 and 4
        RunningCounter counter = startCounter();
        topic.append(PARTITION, votes(0, 3));
        awaitStored(countedOnce(3, 3));
        Map<String, byte[]> replica = dumpPartitionKeys();
        topic.append(PARTITION, votes(3, 2));
        awaitStored(countedOnce(5, 5));

        // When, with no vote coming, Redis fails over to that replica: the last batch is gone from it
        restore(replica);

        // Then the idle counter notices at its next look (VoteCounter.IDLE_CHECK) and counts votes 3 and 4
        // again, once; the log, which has them, does not take them twice
        awaitStored(countedOnce(5, 5));
        counter.stop();
        assertThat(stored()).isEqualTo(countedOnce(5, 5));
        assertThat(counter.consumer().delivered()).containsExactly(0L, 1L, 2L, 3L, 4L, 3L, 4L);
    }

    @Test
    void shouldSetPoisonAsideAndMovePastIt() throws Exception {
        // Given a batch whose last record is no vote envelope
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            DeadLetterTopic.ensureExists(admin, topic.name(), (short) 1);
        }
        List<Message> batch = new ArrayList<>(votes(0, 2));
        batch.add(new Message("garbage", GARBAGE));
        topic.append(PARTITION, batch);

        // When a counter gets the partition
        RunningCounter counter = startCounter();

        // Then the two votes count, the garbage is a dead letter and nowhere else, and both stores are past it
        awaitStored(countedOnce(2, 3));
        counter.stop();
        assertThat(stored()).isEqualTo(countedOnce(2, 3));
        try (DeadLetterTopic.Reader deadLetters = DeadLetterTopic.follow(kafka.bootstrapServers(), topic.name())) {
            await("a dead letter").atMost(DEADLINE).until(() -> !deadLetters.all().isEmpty());
            assertThat(deadLetters.all())
                    .extracting(DeadLetter::topic, DeadLetter::partition, DeadLetter::offset, DeadLetter::contest,
                            DeadLetter::reason, DeadLetter::record)
                    .containsExactly(tuple(topic.name(), PARTITION, 2L, null, DeadLetter.UNDECODABLE,
                            Base64.getEncoder().encodeToString(GARBAGE)));
            assertThat(deadLetters.all().get(0).detail()).startsWith("not a vote envelope");
        }
    }

    @Test
    void shouldCountABatchOnceWhenRedisFailedItAndCameBack() throws Exception {
        // Given a counter that counted votes 0 and 1
        RunningCounter counter = startCounter();
        topic.append(PARTITION, votes(0, 2));
        awaitStored(countedOnce(2, 2));

        // When Redis goes down, votes 2 to 4 come, and the counter has read them twice (failed, rewound,
        // tried again); then Redis comes back
        redisServer.stop();
        try {
            topic.append(PARTITION, votes(2, 3));
            await("votes 2 to 4 read twice: a failed batch rewound and read again").atMost(DEADLINE)
                    .until(() -> Collections.frequency(counter.consumer().delivered(), 2L) >= 2);
            assertThat(log.positions(topic.name())).isEqualTo(Map.of(PARTITION, 2L));
            assertThat(log.count(contest)).isEqualTo(2);
        } finally {
            redisServer.start();
        }

        // Then the batch counts once, and is logged once
        awaitStored(countedOnce(5, 5));
        counter.stop();
        assertThat(stored()).isEqualTo(countedOnce(5, 5));
        List<Long> delivered = counter.consumer().delivered();
        assertThat(delivered).startsWith(0L, 1L);
        for (int at = 2; at < delivered.size(); at += 3) {
            assertThat(delivered.subList(at, Math.min(at + 3, delivered.size()))).as("the reading at delivery %d", at)
                    .containsExactly(2L, 3L, 4L);
        }
    }

    /** Starts a counter over its own store clients, as another process would be, and gives it the partition. */
    private RunningCounter startCounter() {
        TopicConsumer consumer = topic.consumer();
        consumer.handOver(PARTITION);
        VoteCounter counter = new VoteCounter(consumer, topic.name(), new TallyStore(redis, RETENTION, REDIS_TIMEOUT),
                new VoteLog(mongo.getDatabase(DATABASE)), Clock.systemUTC(),
                new CounterMetrics(new SimpleMeterRegistry()),
                DeadLetterTopic.writer(kafka.bootstrapServers(), topic.name()));
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread thread = new Thread(counter, "vote-counter-" + topic.name() + "-" + counters.size());
        thread.setUncaughtExceptionHandler((t, e) -> died.set(e));
        RunningCounter running = new RunningCounter(counter, thread, consumer, died);
        counters.add(running);
        thread.start();
        return running;
    }

    private TopicPartition topicPartition() {
        return new TopicPartition(topic.name(), PARTITION);
    }

    private Message vote(String id, String band, String album) {
        Vote vote = new Vote(id, contest, band, album, "", "", "");
        return new Message(vote.partitionKey(), new VoteEnvelope(vote, "http", RECEIVED_AT, 0).encode());
    }

    /** Votes v{first} on, each for a band of its own parity: even for Queen's Jazz, odd for Abba's Arrival. */
    private List<Message> votes(int first, int count) {
        List<Message> votes = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            votes.add(i % 2 == 0 ? vote("v" + i, "Queen", "Jazz") : vote("v" + i, "Abba", "Arrival"));
        }
        return votes;
    }

    /**
     * The stores once votes v0 to v{votes - 1} of {@link #votes} (at offsets 0 on) are counted and
     * logged once each, and both stores record {@code position}.
     */
    private static Stored countedOnce(int votes, long position) {
        Map<String, Long> fields = new HashMap<>();
        long queen = (votes + 1) / 2;
        long abba = votes / 2;
        fields.put(TallyFields.TOTAL, (long) votes);
        fields.put(TallyFields.band("Queen"), queen);
        fields.put(TallyFields.album("Queen", "Jazz"), queen);
        if (abba > 0) {
            fields.put(TallyFields.band("Abba"), abba);
            fields.put(TallyFields.album("Abba", "Arrival"), abba);
        }
        List<Logged> logged = LongStream.range(0, votes).mapToObj(i -> counted("v" + i, i)).toList();
        return new Stored(fields, logged, votes, Map.of(PARTITION, position), Map.of(PARTITION, position));
    }

    private static Logged counted(String id, long offset) {
        return new Logged(id, offset, "counted");
    }

    private Stored stored() {
        List<Logged> logged = log.latest(contest, 100, null).entries().stream()
                .map(e -> new Logged(e.id(), e.offset(), e.status()))
                .sorted(Comparator.comparingLong(Logged::offset))
                .toList();
        return new Stored(tallies.fields(contest), logged, log.count(contest),
                tallies.positions(topic.name(), List.of(PARTITION)), log.positions(topic.name()));
    }

    private void awaitStored(Stored expected) {
        // Redis may still be reconnecting after a restart
        await().atMost(DEADLINE).ignoreExceptionsInstanceOf(RedisException.class)
                .untilAsserted(() -> assertThat(stored()).isEqualTo(expected));
    }

    /** A copy of every Redis key of the partition and the contest, the position last. */
    private Map<String, byte[]> dumpPartitionKeys() {
        int shard = TallyLayout.shardOf(PARTITION);
        Map<String, byte[]> dumps = new LinkedHashMap<>();
        for (String key : List.of(TallyLayout.tallyKey(shard, contest), TallyLayout.seenKey(shard, contest),
                TallyLayout.votersKey(shard, contest), TallyLayout.positionKey(topic.name(), PARTITION))) {
            dumps.put(key, redis.sync().dump(key));
        }
        return dumps;
    }

    /** Puts the keys back as dumped, the position last, so the counter sees them go back all at once. */
    private void restore(Map<String, byte[]> dumps) {
        dumps.forEach((key, dump) -> {
            if (dump == null) {
                redis.sync().del(key);
            } else {
                redis.sync().restore(key, dump, new RestoreArgs().replace());
            }
        });
    }
}
