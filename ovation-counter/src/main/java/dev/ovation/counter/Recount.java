package dev.ovation.counter;

import dev.ovation.store.PositionsChangedException;
import dev.ovation.store.RecountStore;
import dev.ovation.store.RedisLink;
import dev.ovation.store.ShardSnapshot;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyReplay;
import dev.ovation.store.VotesTopicContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Recounts a contest from the durable record, the votes topic, and compares the result with the
 * tallies in Redis, shard by shard (see {@link TallyLayout}); {@link #repair} rewrites the shards
 * that differ from the record.
 *
 * <ol>
 *   <li>Snapshots each of the {@value TallyLayout#SHARDS} shards atomically ({@link RecountStore}):
 *       the positions of the topic's partitions counted in it, the contest's tally there and the
 *       sizes of its seen and voters hashes. Shards are snapshot one after another: each partition
 *       is compared within its own shard, so they need not be simultaneous.</li>
 *   <li>Reads each partition from its first record up to its shard's snapshot position, not to
 *       its end: later records are not counted yet. A partition without a position is read to no
 *       record. The consumer is {@code assign}ed: no group, no commits. The partitions of one
 *       shard feed one {@link TallyReplay}, one after another, each in offset order; a record that
 *       is no vote to count ({@link RecordCheck}, as the counters decide) is skipped.</li>
 *   <li>Compares every shard, and reports each tally line, plus the numbers of ids seen and of
 *       voters, summed over the shards (see {@link RecountReport}).</li>
 * </ol>
 *
 * <p>Takes its clients in the constructor and does not close them.
 *
 * <pre>{@code
 * RecountReport report = new Recount(redis, Recount.consumer("127.0.0.1:19092"), "votes",
 *         Duration.ofHours(24), Duration.ofSeconds(30), Recount.Progress.SILENT).run("default");
 * }</pre>
 */
public final class Recount {

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

    private final RecountStore store;
    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Duration readTimeout;
    private final Progress progress;

    /**
     * @param redis       the Redis, or Redis Cluster, of the tallies
     * @param consumer    a consumer without a group, such as {@link #consumer(String)} makes
     * @param topic       the votes topic
     * @param retention   the counters' retention of seen ids and voters ({@code OVATION_DEDUP_RETENTION_HOURS}):
     *                    a repair sets it on the hashes it rewrites, as counting does
     * @param readTimeout how long Kafka may give no record (or no answer) before the recount fails
     * @param progress    told how the reading goes
     */
    public Recount(RedisLink redis, Consumer<String, byte[]> consumer, String topic, Duration retention,
                   Duration readTimeout, Progress progress) {
        this.store = new RecountStore(redis, topic, retention);
        this.consumer = consumer;
        this.topic = topic;
        this.readTimeout = readTimeout;
        this.progress = progress;
    }

    /** A consumer for a recount: the {@link VotesTopicContract}'s, with no group and large polls. */
    public static KafkaConsumer<String, byte[]> consumer(String kafkaBootstrap) {
        return VotesTopicContract.consumer(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "ovation-recount",
                // offsets are always sought explicitly; a missing one is an error, not a reset
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                // A partition read up to its log's end leaves a fetch of the next records waiting at
                // the broker, and no other partition can be fetched from that broker until it
                // answers: with Kafka's 500 ms, each such partition cost half a second (9 s per recount
                // of RecountIT's 18 partitions: the class took 101 s, now 14 s).
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20));
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
        List<TopicPartition> partitions = topicPartitions();
        Map<Integer, List<Integer>> byShard = TallyLayout.partitionsByShard(
                partitions.stream().map(TopicPartition::partition).toList());
        Map<Integer, ShardSnapshot> snapshots = new TreeMap<>();
        byShard.forEach((shard, inShard) -> snapshots.put(shard, store.snapshot(contest, shard, inShard)));
        Map<Integer, Long> positions = new TreeMap<>();
        snapshots.values().forEach(s -> positions.putAll(s.positions()));
        checkRecordsExist(partitions, positions);

        Map<Integer, TallyReplay> replays = new TreeMap<>();
        Map<Integer, Long> read = new TreeMap<>();
        byShard.forEach((shard, inShard) -> {
            TallyReplay replay = new TallyReplay(contest);
            for (int partition : inShard) {
                read.put(partition, replayPartition(new TopicPartition(topic, partition),
                        positions.getOrDefault(partition, 0L), replay));
            }
            replays.put(shard, replay);
        });
        return new RecountReport(topic, contest, snapshots, replays, read);
    }

    /** Applies one record of the topic to the replay, skipping it when the counters set it aside. */
    static TallyReplay.Outcome replay(TallyReplay replay, byte[] value, int partition, long offset) {
        RecordCheck check = RecordCheck.of(value);
        return check.countable() ? replay.apply(check.envelope(), partition, offset) : replay.skip(partition, offset);
    }

    private List<TopicPartition> topicPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, readTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the Kafka topic '" + topic + "' does not exist");
        }
        return infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** Fails unless the topic still holds every record below each applied position. */
    private void checkRecordsExist(List<TopicPartition> partitions, Map<Integer, Long> positions) {
        Map<TopicPartition, Long> firsts = consumer.beginningOffsets(partitions, readTimeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, readTimeout);
        for (TopicPartition tp : partitions) {
            long end = positions.getOrDefault(tp.partition(), 0L);
            if (end > 0 && firsts.get(tp) > 0) {
                throw new IllegalStateException("partition " + tp + " starts at offset " + firsts.get(tp)
                        + ": its first records were deleted, so the record of the votes is incomplete");
            }
            if (end > ends.get(tp)) {
                throw new IllegalStateException("the counters applied partition " + tp + " up to offset " + end
                        + " but it holds records up to " + ends.get(tp) + " only: the topic is not the one counted");
            }
        }
    }

    private long replayPartition(TopicPartition tp, long end, TallyReplay replay) {
        long read = 0;
        if (end > 0) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            long lastRecordNanos = System.nanoTime();
            while (consumer.position(tp, readTimeout) < end) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (System.nanoTime() - lastRecordNanos > readTimeout.toNanos()) {
                        throw new IllegalStateException("Kafka gave no record of " + tp + " for "
                                + readTimeout.toSeconds() + " s, at offset " + consumer.position(tp) + " of " + end);
                    }
                    continue;
                }
                lastRecordNanos = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                    if (record.offset() >= end) {
                        break;
                    }
                    replay(replay, record.value(), record.partition(), record.offset());
                    read++;
                }
                progress.partitionRead(tp.partition(), read, end, false);
            }
        }
        progress.partitionRead(tp.partition(), read, end, true);
        return read;
    }

    /**
     * Rewrites the contest's tally, seen ids and voters from the record in every shard where the
     * report found a difference, each shard only if none of its partitions' positions moved since
     * its snapshot: the counters must not have applied anything there since. Each shard is
     * replaced atomically (see {@link RecountStore#replace}); shards that agreed are left alone,
     * and positions are left as they are, so counters resume where they were. Seen ids and voters
     * of a rewritten shard get the retention from now, as after a counted vote.
     *
     * @return the shards rewritten
     * @throws RecountStaleException when the positions of some shard moved since the snapshot;
     *                               nothing of those shards was written, the others were repaired
     */
    public SortedSet<Integer> repair(RecountReport report) {
        if (!report.topic().equals(topic)) {
            throw new IllegalArgumentException("the report is of topic '" + report.topic() + "', not '" + topic + "'");
        }
        SortedSet<Integer> repaired = new TreeSet<>();
        List<String> stale = new ArrayList<>();
        for (int shard : report.shardsThatDiffer()) {
            try {
                store.replace(report.contest(), report.snapshot(shard), report.replay(shard));
                repaired.add(shard);
            } catch (PositionsChangedException e) {
                stale.add(e.getMessage());
            }
        }
        if (!stale.isEmpty()) {
            throw new RecountStaleException("counters counted more votes meanwhile; stop them or run again ("
                    + String.join("; ", stale) + "; " + repairedShards(repaired) + ")");
        }
        return repaired;
    }

    private static String repairedShards(SortedSet<Integer> repaired) {
        if (repaired.isEmpty()) {
            return "no shard was repaired";
        }
        return (repaired.size() == 1 ? "shard " : "shards ")
                + repaired.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + (repaired.size() == 1 ? " was repaired" : " were repaired");
    }
}
