package dev.ovation.counter;

import dev.ovation.store.CountOutcome;
import dev.ovation.store.DeadLetter;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.LogEntry;
import dev.ovation.store.PositionsChangedException;
import dev.ovation.store.QueuedVote;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the votes topic as one member of the counters' consumer group, counts each batch into
 * the {@link TallyStore} and appends it to the {@link VoteLog}, then commits the Kafka offsets
 * (asynchronously: they only show the counters' lag).
 *
 * <p>Both stores record the topic position they reached, atomically with their writes, and both
 * writes are idempotent. When the group hands this counter a partition, it resumes at the lower of
 * the two positions (the start of the partition if either store has none, as when a log is new),
 * so a crash anywhere — before, between or after the writes — loses
 * nothing and counts nothing twice. Before each write it checks that the stores are still at the
 * positions it left them at; if one went back (Redis lost its last second of writes in a crash,
 * the log lost its last writes) or moved on (another counter took the partition), it resumes from the
 * stored positions again. Committed Kafka offsets are kept for lag monitoring only.
 */
public final class VoteCounter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(VoteCounter.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** How often an idle counter looks whether a store went back (a Redis failover, a log restored). */
    static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final TallyStore tallies;
    private final VoteLog log;
    private final Clock clock;
    private final CounterMetrics metrics;
    private final DeadLetterTopic.Writer deadLetters;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Per assigned partition: the position each store was last seen at (absent key: none stored). */
    private final Map<Integer, Long> talliesAt = new HashMap<>();
    private final Map<Integer, Long> logAt = new HashMap<>();
    private volatile boolean running = true;

    private long lagShownAtNanos;
    private long storesCheckedAtNanos;

    VoteCounter(Consumer<String, byte[]> consumer, String topic, TallyStore tallies, VoteLog log, Clock clock,
                CounterMetrics metrics, DeadLetterTopic.Writer deadLetters) {
        this.consumer = consumer;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.topic = topic;
        this.tallies = tallies;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ResumeAtStoredPositions());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                showLag();
                if (records.isEmpty()) {
                    checkStoresWhileIdle();
                    continue;
                }
                try {
                    countBatch(records);
                } catch (WakeupException e) {
                    throw e;
                } catch (PositionsChangedException e) {
                    LOG.warn("a store is not where this counter left it ({}); resuming from the stored positions",
                            e.getMessage());
                    resumeAtStoredPositions(consumer.assignment());
                } catch (RuntimeException e) {
                    LOG.warn("could not count a batch of {} votes, retrying in {}: {}", records.count(), RETRY_DELAY,
                            e.toString());
                    rewind(records);
                    if (stopped.await(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close();
            stopped.countDown();
        }
    }

    private void countBatch(ConsumerRecords<String, byte[]> records) {
        List<QueuedVote> votes = new ArrayList<>(records.count());
        List<DeadLetter> poison = new ArrayList<>();
        Map<Integer, Long> reached = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            reached.put(record.partition(), record.offset() + 1);
            commit.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            QueuedVote vote = decode(record, poison);
            if (vote != null) {
                votes.add(vote);
            }
        }
        checkLogStillAt(reached.keySet());
        if (!poison.isEmpty()) {
            // Set aside (and acknowledged) before the stores move past them: a crash after this
            // writes them again under the same keys, which the topic keeps once.
            deadLetters.write(poison);
            metrics.deadLetters(poison);
            LOG.warn("set {} records aside in the dead-letter topic, first {}: {} ({})", poison.size(),
                    poison.get(0).key(), poison.get(0).reason(), poison.get(0).detail());
        }
        long now = clock.millis();
        long started = System.nanoTime();
        List<CountOutcome> outcomes = tallies.count(topic, votes, talliesAt, reached, now);
        metrics.redisWrite(System.nanoTime() - started);
        reached.forEach((partition, next) -> talliesAt.merge(partition, next, Math::max));
        List<LogEntry> entries = new ArrayList<>(votes.size());
        Map<String, long[]> decided = new HashMap<>();
        for (int i = 0; i < votes.size(); i++) {
            CountOutcome outcome = outcomes.get(i);
            if (outcome.firstCount()) {
                entries.add(LogEntry.of(votes.get(i), outcome));
            }
            long[] byOutcome = decided.computeIfAbsent(votes.get(i).envelope().vote().contest(), c -> new long[3]);
            byOutcome[!outcome.firstCount() ? 1 : outcome.counted() ? 0 : 2]++;
        }
        Map<Integer, Long> from = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            Long logged = logAt.get(partition.partition());
            from.put(partition.partition(), logged != null ? logged : records.records(partition).get(0).offset());
        }
        started = System.nanoTime();
        log.append(topic, entries, from, reached);
        metrics.logWrite(System.nanoTime() - started);
        reached.forEach((partition, next) -> logAt.merge(partition, next, Math::max));
        metrics.batch(records.count());
        decided.forEach((contest, byOutcome) -> {
            metrics.decided(contest, CounterMetrics.COUNTED, byOutcome[0]);
            metrics.decided(contest, CounterMetrics.DUPLICATE, byOutcome[1]);
            metrics.decided(contest, CounterMetrics.OVER_LIMIT, byOutcome[2]);
        });
        // Committed offsets only show lag; positions live in the stores, so no need to wait here.
        consumer.commitAsync(commit, (offsets, error) -> {
            if (error != null) {
                LOG.debug("could not commit offsets for lag monitoring: {}", error.toString());
            }
        });
    }

    /**
     * The record as a vote to count, or null when it is poison: bytes that are no vote envelope, or
     * a vote that breaks the rules every edge checks (written to the topic by something else than
     * the ingest). Poison goes to {@code poison}, with its position and reason.
     */
    private QueuedVote decode(ConsumerRecord<String, byte[]> record, List<DeadLetter> poison) {
        RecordCheck check = RecordCheck.of(record.value());
        if (check.countable()) {
            return new QueuedVote(check.envelope(), record.partition(), record.offset());
        }
        poison.add(new DeadLetter(record.topic(), record.partition(), record.offset(), check.contest(), check.reason(),
                check.detail(), record.value() == null ? "" : Base64.getEncoder().encodeToString(record.value())));
        return null;
    }

    /** At most once a second: each held partition's lag, as the consumer knows it from its last fetch. */
    private void showLag() {
        long now = System.nanoTime();
        if (now - lagShownAtNanos < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lagShownAtNanos = now;
        Map<Integer, Long> lag = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(records -> lag.put(partition.partition(), records));
        }
        metrics.lag(topic, lag);
    }

    /**
     * While no vote comes, the stores can still go back: a Redis replica promoted without the last
     * writes its master acknowledged, a log restored from a backup. Nothing would write to notice it
     * (a write finds it, {@link PositionsChangedException}), so once a {@link #IDLE_CHECK} the held
     * partitions' stored positions are compared with where this counter left them, and a store behind
     * is counted again from its position.
     */
    private void checkStoresWhileIdle() {
        long now = System.nanoTime();
        if (now - storesCheckedAtNanos < IDLE_CHECK.toNanos() || (talliesAt.isEmpty() && logAt.isEmpty())) {
            return;
        }
        storesCheckedAtNanos = now;
        Collection<TopicPartition> held = consumer.assignment();
        try {
            Map<Integer, Long> inTallies = tallies.positions(topic, held.stream().map(TopicPartition::partition).toList());
            Map<Integer, Long> inLog = log.positions(topic);
            String behind = behind("tallies", talliesAt, inTallies);
            if (behind == null) {
                behind = behind("log", logAt, inLog);
            }
            if (behind != null) {
                LOG.warn("a store went back while no vote came ({}); counting again from the stored positions", behind);
                resumeAtStoredPositions(held);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not read the stored positions while idle: {}", e.toString());
        }
    }

    private static String behind(String store, Map<Integer, Long> expected, Map<Integer, Long> stored) {
        for (Map.Entry<Integer, Long> left : expected.entrySet()) {
            Long actual = stored.get(left.getKey());
            if (actual == null || actual < left.getValue()) {
                return store + " position of partition " + left.getKey() + " is " + (actual == null ? "none" : actual)
                        + ", not " + left.getValue();
            }
        }
        return null;
    }

    /** The log may have lost entries (its server lost its last writes, or restarted empty) while this counter ran. */
    private void checkLogStillAt(Collection<Integer> partitions) {
        Map<Integer, Long> stored = log.positions(topic);
        for (int partition : partitions) {
            Long expected = logAt.get(partition);
            Long actual = stored.get(partition);
            if (expected != null && (actual == null || actual < expected)) {
                throw new PositionsChangedException("the log of partition " + partition + " is at "
                        + (actual == null ? "none" : actual) + ", not " + expected);
            }
        }
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    /**
     * Seeks each partition to where both stores have applied it, reading their positions until
     * they answer or the counter stops.
     */
    private void resumeAtStoredPositions(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> inTallies;
        Map<Integer, Long> inLog;
        while (true) {
            try {
                inTallies = tallies.positions(topic, partitions.stream().map(TopicPartition::partition).toList());
                inLog = log.positions(topic);
                break;
            } catch (RuntimeException e) {
                LOG.warn("could not read stored positions, retrying in {}: {}", RETRY_DELAY, e.toString());
                try {
                    if (stopped.await(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS) || !running) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        for (TopicPartition tp : partitions) {
            Long counted = inTallies.get(tp.partition());
            Long logged = inLog.get(tp.partition());
            remember(talliesAt, tp.partition(), counted);
            remember(logAt, tp.partition(), logged);
            if (counted == null || logged == null) {
                consumer.seekToBeginning(List.of(tp));
                if (counted == null && logged == null) {
                    LOG.info("partition {}: nothing counted here yet; counting from the topic's start", tp);
                } else {
                    LOG.info("partition {}: counting again from the topic's start, since the {} holds no position"
                            + " for it (the {} is at offset {}); what was counted is recognised and not counted twice",
                            tp, counted == null ? "tallies' store" : "vote log", counted == null ? "log" : "tallies",
                            counted == null ? logged : counted);
                }
            } else {
                consumer.seek(tp, Math.min(counted, logged));
                LOG.info("partition {}: resuming at offset {} (tallies at {}, log at {})", tp,
                        Math.min(counted, logged), counted, logged);
            }
        }
    }

    private static void remember(Map<Integer, Long> positions, int partition, Long position) {
        if (position == null) {
            positions.remove(partition);
        } else {
            positions.put(partition, position);
        }
    }

    /** Asks the loop to stop and waits for it to close the consumer. */
    public void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await(10, TimeUnit.SECONDS);
    }

    /** On assignment, seeks each partition to where both stores have applied it. */
    private final class ResumeAtStoredPositions implements ConsumerRebalanceListener {

        private final Set<TopicPartition> held = new HashSet<>();

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            held.addAll(partitions);
            metrics.assigned(held.size());
            resumeAtStoredPositions(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Each batch is written and committed before the next poll, so nothing is pending here.
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            metrics.assigned(held.size());
            for (TopicPartition tp : partitions) {
                talliesAt.remove(tp.partition());
                logAt.remove(tp.partition());
            }
        }
    }
}
