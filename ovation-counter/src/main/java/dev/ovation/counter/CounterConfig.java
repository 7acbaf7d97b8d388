package dev.ovation.counter;

import dev.ovation.model.Env;
import dev.ovation.store.StoreSettings;
import java.time.Duration;

/**
 * Settings of the counter role, read once from the environment.
 *
 * @param stores         {@code OVATION_KAFKA}, {@code OVATION_REDIS}, {@code OVATION_MONGO},
 *                       {@code OVATION_MONGO_DATABASE}, {@code OVATION_TOPIC}, {@code OVATION_TOPIC_PARTITIONS},
 *                       {@code OVATION_TOPIC_REPLICATION}: the settings the roles share ({@link StoreSettings})
 * @param groupId        {@code OVATION_COUNTER_GROUP}: the consumer group all counters share
 * @param maxBatch       {@code OVATION_COUNTER_BATCH}: the most votes counted in one write
 * @param dedupRetention {@code OVATION_DEDUP_RETENTION_HOURS} (default 24, 0: forever): how long a
 *                       contest's vote ids and voter counts stay in Redis after its last vote; a
 *                       resent id is recognised, and a voter's limit applies, within that time
 * @param host           {@code OVATION_HOST}: address the counter's HTTP port binds to
 * @param port           {@code OVATION_COUNTER_PORT}: the HTTP port of {@code /metrics} and
 *                       {@code /health/*} (0: any free port)
 */
public record CounterConfig(StoreSettings stores, String groupId, int maxBatch, Duration dedupRetention,
                            String host, int port) {

    public static final int DEFAULT_PORT = 8090;

    /** Reads the settings, failing fast on a bad value. */
    public static CounterConfig from(Env env) {
        return new CounterConfig(
                StoreSettings.from(env),
                env.string("OVATION_COUNTER_GROUP", "ovation-counter"),
                // 10,000 rather than 2,000: a batch's log and Redis writes cost much the same whatever
                // its size, and after a burst the counter caught up at 82,000-85,000 votes/s instead of
                // 60,000-76,000 (bench/opening.sh, BENCHMARKS.md "The opening"); small loads still
                // come in small batches (the fetch waits at most 100 ms)
                env.intInRange("OVATION_COUNTER_BATCH", 10_000, 1, 20_000),
                Duration.ofHours(env.intInRange("OVATION_DEDUP_RETENTION_HOURS", 24, 0, 24 * 366)),
                env.string("OVATION_HOST", "0.0.0.0"),
                env.port("OVATION_COUNTER_PORT", DEFAULT_PORT));
    }

    /** The same settings, for these shared settings (the standalone's servers) and this HTTP address. */
    public CounterConfig at(StoreSettings shared, String bindHost, int httpPort) {
        return new CounterConfig(shared, groupId, maxBatch, dedupRetention, bindHost, httpPort);
    }
}
