package dev.ovation.counter;

import dev.ovation.store.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counter's meters ({@code docs/metrics.md}): records decided by contest and outcome, consumer
 * lag per partition, partitions held, batch sizes, and the time of each batch's Redis and log
 * writes. Called by the counting thread only, once per batch, never per vote.
 */
final class CounterMetrics {

    static final String COUNTED = "counted";
    static final String DUPLICATE = "duplicate";
    static final String OVER_LIMIT = "over_limit";

    private static final Duration[] WRITE_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2_500), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Map<String, Counter> decided = new ConcurrentHashMap<>();
    private final AtomicInteger assigned = new AtomicInteger();
    private final MultiGauge lag;
    private final DistributionSummary batchVotes;
    private final Timer redisWrites;
    private final Timer logWrites;

    CounterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("ovation.counter.assigned.partitions", assigned, AtomicInteger::get)
                .description("Partitions of the votes topic this counter holds").register(registry);
        lag = MultiGauge.builder("ovation.consumer.lag").baseUnit("records")
                .description("Records between this counter's position and the end of a partition it holds")
                .register(registry);
        batchVotes = DistributionSummary.builder("ovation.counter.batch").baseUnit("votes")
                .description("Records in one counted batch")
                .serviceLevelObjectives(1, 10, 100, 500, 1_000, 2_000, 5_000, 10_000, 20_000)
                .register(registry);
        redisWrites = writeTimer(registry, "ovation.redis.write", "One batch's counting scripts, one round trip");
        logWrites = writeTimer(registry, "ovation.log.write", "One batch's append to the vote log");
    }

    private static Timer writeTimer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(WRITE_BUCKETS).register(registry);
    }

    /** {@code count} records of {@code contest} decided with {@code outcome}. */
    void decided(String contest, String outcome, long count) {
        decided.computeIfAbsent(contest + '\u001f' + outcome, key -> Counter.builder("ovation.votes.counted")
                .description("Records the counter decided: counted, absorbed as a duplicate, or over a voter's limit")
                .tag("contest", contest).tag("outcome", outcome).register(registry)).increment(count);
    }

    /** Records set aside in the dead-letter topic, by reason. */
    void deadLetters(List<DeadLetter> letters) {
        for (DeadLetter letter : letters) {
            decided.computeIfAbsent("\u001edead\u001f" + letter.reason(), key -> Counter.builder("ovation.dead.letters")
                    .description("Records of the votes topic set aside in the dead-letter topic, by reason")
                    .tag("reason", letter.reason()).register(registry)).increment();
        }
    }

    void batch(int records) {
        batchVotes.record(records);
    }

    /** Partitions held now (the warm-up asks). */
    int assignedPartitions() {
        return assigned.get();
    }

    /** Records counted in batches so far (the warm-up waits on it). */
    long recordsBatched() {
        return (long) batchVotes.totalAmount();
    }

    void redisWrite(long nanos) {
        redisWrites.record(nanos, TimeUnit.NANOSECONDS);
    }

    void logWrite(long nanos) {
        logWrites.record(nanos, TimeUnit.NANOSECONDS);
    }

    void assigned(int partitions) {
        assigned.set(partitions);
    }

    /** The lag of each partition held, replacing what was shown before (partitions given up disappear). */
    void lag(String topic, Map<Integer, Long> byPartition) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(byPartition.size());
        byPartition.forEach((partition, records) -> rows.add(MultiGauge.Row.of(
                Tags.of("topic", topic, "partition", Integer.toString(partition)), records)));
        lag.register(rows, true);
    }
}
