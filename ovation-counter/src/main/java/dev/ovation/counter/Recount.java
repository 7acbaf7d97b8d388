package dev.ovation.counter;

import dev.ovation.store.TallyFields;
import io.lettuce.core.KeyValue;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Recounts a contest from the durable record, the votes topic, and compares the result with the
 * tallies in Redis; {@link #repair} rewrites the tallies from the record.
 *
 * <ol>
 *   <li>Takes an atomic snapshot (MULTI/EXEC) of the topic positions the counters applied
 *       ({@code ovation:positions:<topic>}) and of the contest's tallies.</li>
 *   <li>Reads each partition from its first record up to its snapshot position, not to its end:
 *       later records are not counted yet. A partition without a position is read to no record.
 *       The consumer is {@code assign}ed: no group, no commits. Partitions are read one after
 *       another, each in offset order, through a {@link TallyReplay}.</li>
 *   <li>Compares every tally line, plus the numbers of ids seen and of voters.</li>
 * </ol>
 *
 * <p>Takes its clients in the constructor and does not close them. The Redis connection must be
 * this recount's own: {@link #repair} uses WATCH, which belongs to the connection.
 *
 * <pre>{@code
 * RecountReport report = new Recount(redis, Recount.consumer("127.0.0.1:19092"), "votes",
 *         Duration.ofSeconds(30), Recount.Progress.SILENT, Clock.systemUTC()).run("default");
 * }</pre>
 */
public final class Recount {

    /** Seen ids and voters written per HSET, and seen ids read per HMGET. */
    private static final int CHUNK = 1_000;

    /** Told how far the reading of each partition got. */
    @FunctionalInterface
    public interface Progress {

        /** Says nothing. */
        Progress SILENT = (partition, read, upTo, done) -> { };

        /**
         * Called after each batch of records read from a partition, and once more when it is read.
         *
         * @param partition the partition
         * @param read      records read from it so far
         * @param upTo      its snapshot position: the offset it is read up to
         * @param done      true on the last call for the partition
         */
        void partitionRead(int partition, long read, long upTo, boolean done);
    }

    private final RedisCommands<String, String> redis;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration readTimeout;
    private final Progress progress;
    private final Clock clock;

    /**
     * @param redis       a connection of this recount's own
     * @param consumer    a consumer without a group, such as {@link #consumer(String)} makes
     * @param topic       the votes topic
     * @param readTimeout how long Kafka may give no record (or no answer) before the recount fails
     * @param progress    told how the reading goes
     * @param clock       the "counted at" of seen ids a repair cannot take from Redis
     */
    public Recount(StatefulRedisConnection<String, String> redis, Consumer<byte[], byte[]> consumer, String topic,
                   Duration readTimeout, Progress progress, Clock clock) {
        this.redis = redis.sync();
        this.consumer = consumer;
        this.topic = topic;
        this.readTimeout = readTimeout;
        this.progress = progress;
        this.clock = clock;
    }

    /** A consumer for a recount: no group, no commits, raw keys and values. */
    public static KafkaConsumer<byte[], byte[]> consumer(String kafkaBootstrap) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "ovation-recount",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // offsets are always sought explicitly; a missing one is an error, not a reset
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Recounts {@code contest}: snapshot, read, compare.
     *
     * @throws IllegalStateException when the topic does not exist, lacks records the counters
     *                               applied, or Kafka gives no record within the read timeout
     * @throws org.apache.kafka.common.errors.TimeoutException when Kafka does not answer within
     *                               the read timeout
     */
    public RecountReport run(String contest) {
        Snapshot snapshot = snapshot(contest);
        TallyReplay replay = new TallyReplay(contest);
        Map<Integer, Long> read = replayTopic(snapshot.positions(), replay);
        return new RecountReport(topic, snapshot.positions(), read, compare(snapshot, replay), replay);
    }

    private record Snapshot(Map<Integer, Long> positions, Map<String, String> tally, long seen, long voters) {
    }

    private Snapshot snapshot(String contest) {
        TransactionResult result;
        redis.multi();
        try {
            redis.hgetall(positionsKey(topic));
            redis.hgetall(tallyKey(contest));
            redis.hlen(seenKey(contest));
            redis.hlen(votersKey(contest));
            result = redis.exec();
        } catch (RuntimeException e) {
            discardQuietly(e);
            throw e;
        }
        throwFailures(result);
        Map<String, String> storedPositions = result.get(0);
        Map<Integer, Long> positions = new TreeMap<>();
        storedPositions.forEach((partition, next) -> {
            try {
                positions.put(Integer.parseInt(partition), Long.parseLong(next));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(positionsKey(topic) + " holds " + partition + " -> " + next
                        + ", not a partition and an offset", e);
            }
        });
        Long seen = result.get(2);
        Long voters = result.get(3);
        return new Snapshot(positions, result.get(1), seen, voters);
    }

    /** Reads each partition up to its snapshot position; answers the records read per partition. */
    private Map<Integer, Long> replayTopic(Map<Integer, Long> positions, TallyReplay replay) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, readTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the Kafka topic '" + topic + "' does not exist");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        Set<Integer> known = new HashSet<>();
        partitions.forEach(tp -> known.add(tp.partition()));
        for (int partition : positions.keySet()) {
            if (!known.contains(partition)) {
                throw new IllegalStateException("the counters applied partition " + partition + " of '" + topic
                        + "', which the topic does not have (" + partitions.size() + " partitions)");
            }
        }
        Map<TopicPartition, Long> firsts = consumer.beginningOffsets(partitions, readTimeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, readTimeout);
        Map<Integer, Long> read = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            long end = positions.getOrDefault(tp.partition(), 0L);
            long first = firsts.get(tp);
            long last = ends.get(tp);
            if (end > 0 && first > 0) {
                throw new IllegalStateException("partition " + tp + " starts at offset " + first
                        + ": its first records were deleted, so the record of the votes is incomplete");
            }
            if (end > last) {
                throw new IllegalStateException("the counters applied partition " + tp + " up to offset " + end
                        + " but it holds records up to " + last + " only: the topic is not the one counted");
            }
            read.put(tp.partition(), replayPartition(tp, end, replay));
        }
        return read;
    }

    private long replayPartition(TopicPartition tp, long end, TallyReplay replay) {
        long read = 0;
        if (end > 0) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            long lastRecordNanos = System.nanoTime();
            while (consumer.position(tp, readTimeout) < end) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (System.nanoTime() - lastRecordNanos > readTimeout.toNanos()) {
                        throw new IllegalStateException("Kafka gave no record of " + tp + " for "
                                + readTimeout.toSeconds() + " s, at offset " + consumer.position(tp) + " of " + end);
                    }
                    continue;
                }
                lastRecordNanos = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                    if (record.offset() >= end) {
                        break;
                    }
                    replay.apply(record.value(), record.partition(), record.offset());
                    read++;
                }
                progress.partitionRead(tp.partition(), read, end, false);
            }
        }
        progress.partitionRead(tp.partition(), read, end, true);
        return read;
    }

    private static List<RecountLine> compare(Snapshot snapshot, TallyReplay replay) {
        Map<String, Long> inRedis = new HashMap<>();
        snapshot.tally().forEach((field, value) -> {
            try {
                inRedis.put(field, Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("the tally field '" + TallyFields.label(field) + "' of contest "
                        + replay.contest() + " holds '" + value + "', not a count", e);
            }
        });
        Set<String> fields = new HashSet<>(inRedis.keySet());
        fields.add(TallyFields.TOTAL);
        fields.add(TallyFields.DUPLICATES);
        fields.addAll(replay.tallyFields().keySet());
        List<RecountLine> lines = new ArrayList<>(fields.size() + 2);
        fields.stream()
                .sorted(Comparator.comparing(TallyFields::sortKey))
                .forEach(field -> lines.add(new RecountLine(field, replay.count(field), inRedis.getOrDefault(field, 0L))));
        lines.add(new RecountLine(RecountLine.IDS_SEEN, replay.seen().size(), snapshot.seen()));
        lines.add(new RecountLine(RecountLine.VOTERS, replay.voters().size(), snapshot.voters()));
        return lines;
    }

    /**
     * Rewrites the contest's tallies, seen ids and voters from the record, in one MULTI/EXEC, and
     * only if the topic positions are still those of the report's snapshot (WATCH): the counters
     * must not have applied anything since. Positions are left as they are, so counters resume
     * where they were. A seen id keeps its "counted at" when Redis names the same record for it;
     * otherwise it gets the time of the repair.
     *
     * @throws RecountStaleException when the positions moved since the snapshot; nothing was
     *                               written
     */
    public void repair(RecountReport report) {
        if (!report.topic().equals(topic)) {
            throw new IllegalArgumentException("the report is of topic '" + report.topic() + "', not '" + topic + "'");
        }
        TallyReplay replay = report.replay();
        String contest = replay.contest();
        String positionsKey = positionsKey(topic);
        redis.watch(positionsKey);
        try {
            Map<Integer, Long> now = new TreeMap<>();
            redis.hgetall(positionsKey).forEach((p, next) -> now.put(Integer.parseInt(p), Long.parseLong(next)));
            if (!now.equals(report.positions())) {
                throw stale(report.positions(), now);
            }
            Map<String, String> seen = seenValues(contest, replay);
            redis.multi();
            try {
                redis.del(tallyKey(contest), seenKey(contest), votersKey(contest));
                Map<String, String> tally = new HashMap<>();
                replay.tallyFields().forEach((field, count) -> tally.put(field, Long.toString(count)));
                hsetInChunks(tallyKey(contest), tally);
                hsetInChunks(seenKey(contest), seen);
                Map<String, String> voters = new HashMap<>();
                replay.voters().forEach((voter, count) -> voters.put(voter, Long.toString(count)));
                hsetInChunks(votersKey(contest), voters);
            } catch (RuntimeException e) {
                discardQuietly(e);
                throw e;
            }
            TransactionResult result = redis.exec();
            if (result.wasDiscarded()) {
                throw stale(report.positions(), null);
            }
            throwFailures(result);
        } catch (RuntimeException e) {
            try {
                redis.unwatch();
            } catch (RuntimeException unwatch) {
                e.addSuppressed(unwatch);
            }
            throw e;
        }
    }

    /** The seen value of each decided id, keeping Redis's "counted at" where it names the same record. */
    private Map<String, String> seenValues(String contest, TallyReplay replay) {
        long repairedAt = clock.millis();
        Map<String, String> values = new HashMap<>(replay.seen().size() * 2);
        List<String> ids = new ArrayList<>(replay.seen().keySet());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            String[] chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK)).toArray(String[]::new);
            for (KeyValue<String, String> stored : redis.hmget(seenKey(contest), chunk)) {
                TallyReplay.Decision decision = replay.seen().get(stored.getKey());
                long countedAt = repairedAt;
                if (stored.hasValue() && decision.sameRecordAs(stored.getValue())) {
                    countedAt = countedAtOf(stored.getValue(), repairedAt);
                }
                values.put(stored.getKey(), decision.seenValue(countedAt));
            }
        }
        return values;
    }

    private static long countedAtOf(String seenValue, long fallback) {
        try {
            return Long.parseLong(seenValue.split(":", 4)[1]);
        } catch (NumberFormatException e) {
            // an unreadable time is replaced, like a missing entry
            return fallback;
        }
    }

    private void hsetInChunks(String key, Map<String, String> values) {
        Map<String, String> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            chunk.put(entry.getKey(), entry.getValue());
            if (chunk.size() == CHUNK) {
                redis.hset(key, chunk);
                chunk = new LinkedHashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            redis.hset(key, chunk);
        }
    }

    private RecountStaleException stale(Map<Integer, Long> before, Map<Integer, Long> now) {
        return new RecountStaleException("counters counted more votes meanwhile; stop them or run again (positions of '"
                + topic + "' were " + before + " at the recount" + (now == null ? ", and moved during the repair)"
                : ", and are " + now + " now)"));
    }

    private void discardQuietly(RuntimeException failure) {
        try {
            redis.discard();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void throwFailures(TransactionResult result) {
        for (Object answer : result) {
            if (answer instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    private static String positionsKey(String topic) {
        return "ovation:positions:" + topic;
    }

    private static String tallyKey(String contest) {
        return "ovation:tally:" + contest;
    }

    private static String seenKey(String contest) {
        return "ovation:seen:" + contest;
    }

    private static String votersKey(String contest) {
        return "ovation:voters:" + contest;
    }
}
