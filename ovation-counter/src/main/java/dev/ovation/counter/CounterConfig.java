package dev.ovation.counter;

import dev.ovation.model.Env;
import dev.ovation.store.StoreClients;
import dev.ovation.store.VotesTopic;
import java.time.Duration;

/**
 * Settings of the counter role, read once from the environment.
 *
 * @param kafkaBootstrap {@code OVATION_KAFKA}
 * @param redisUri       {@code OVATION_REDIS}, e.g. {@code redis://127.0.0.1:16379}
 * @param mongoUri       {@code OVATION_MONGO}, e.g. {@code mongodb://127.0.0.1:27027}
 * @param mongoDatabase  {@code OVATION_MONGO_DATABASE}
 * @param topic          {@code OVATION_TOPIC*}
 * @param groupId        {@code OVATION_COUNTER_GROUP}: the consumer group all counters share
 * @param maxBatch       {@code OVATION_COUNTER_BATCH}: the most votes counted in one write
 * @param dedupRetention {@code OVATION_DEDUP_RETENTION_HOURS} (default 24, 0: forever): how long a
 *                       contest's vote ids and voter counts stay in Redis after its last vote; a
 *                       resent id is recognised, and a voter's limit applies, within that time
 * @param host           {@code OVATION_HOST}: address the counter's HTTP port binds to
 * @param port           {@code OVATION_COUNTER_PORT}: the HTTP port of {@code /metrics} and
 *                       {@code /health/*} (0: any free port)
 */
public record CounterConfig(String kafkaBootstrap, String redisUri, String mongoUri, String mongoDatabase,
                            VotesTopic topic, String groupId, int maxBatch, Duration dedupRetention,
                            String host, int port) {

    public static final int DEFAULT_PORT = 8090;

    /** Reads the settings, failing fast on a bad value. */
    public static CounterConfig from(Env env) {
        return new CounterConfig(
                env.string("OVATION_KAFKA", "127.0.0.1:19092"),
                env.string("OVATION_REDIS", StoreClients.DEFAULT_REDIS),
                env.string("OVATION_MONGO", StoreClients.DEFAULT_MONGO),
                env.string("OVATION_MONGO_DATABASE", "ovation"),
                new VotesTopic(env.string("OVATION_TOPIC", VotesTopic.DEFAULT_NAME),
                        env.intInRange("OVATION_TOPIC_PARTITIONS", 6, 1, 1_000),
                        (short) env.intInRange("OVATION_TOPIC_REPLICATION", 0, 0, 7)),
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
}
